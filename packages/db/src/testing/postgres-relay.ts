/**
 * A TCP relay in front of a Postgres server, so a test can make the server vanish without stopping the real one
 * (which other test files share): `stop()` cuts every connection through the relay and stops listening, exactly what
 * a client sees when the server is stopped — open connections terminated, new ones refused.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

export interface PostgresRelay {
  /** `url` with its host and port replaced by the relay's. */
  readonly url: string;
  readonly port: number;
  /** Cuts open connections and refuses new ones from now on. */
  stop(): Promise<void>;
}

export interface PostgresRelayOptions {
  /** Listen here (e.g. the port of a relay stopped before: the server "comes back" where clients expect it). */
  port?: number;
}

export async function startPostgresRelay(url: string, options: PostgresRelayOptions = {}): Promise<PostgresRelay> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String((server.address() as AddressInfo).port);
  let stopped: Promise<void> | undefined;
  return {
    url: relayed.toString(),
    port: Number(relayed.port),
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      })),
  };
}
