/**
 * A TCP load balancer on 127.0.0.1 in front of a service's replicas, as a Kubernetes Service or a cloud load
 * balancer would be: each new connection goes to the next replica in turn, and a replica that refuses the connection
 * (killed, not yet restarted) is passed over for the next one. Connections already open to a replica that dies are
 * reset — the caller sees what it would see in production and must retry, which is what the suite tests.
 *
 * Per connection, not per request: HTTP keep-alive pins a connection's requests to one replica, so traffic spreads as
 * a client's connection pool does. `connections` shows how evenly.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Connections handed to each backend so far, in the order of `backends`. */
  readonly connections: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: readonly { port: number }[]): Promise<RoundRobinProxy> {
  const connections = backends.map(() => 0);
  const open = new Set<Socket>();
  let next = 0;

  /** Tries each backend once, starting with the next in turn; resolves with the connected socket or undefined. */
  const connectToSomeBackend = async (): Promise<Socket | undefined> => {
    for (let tried = 0; tried < backends.length; tried++) {
      const index = next;
      next = (next + 1) % backends.length;
      const upstream = await new Promise<Socket | undefined>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: backends[index]!.port });
        socket.once('connect', () => resolve(socket));
        socket.once('error', () => resolve(undefined));
      });
      if (upstream) {
        connections[index]! += 1;
        return upstream;
      }
    }
    return undefined;
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    void connectToSomeBackend().then((upstream) => {
      if (!upstream) return client.destroy(); // every replica down: the caller sees a reset
      if (client.destroyed) return upstream.destroy();
      open.add(upstream);
      upstream.once('close', () => open.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.once('close', () => client.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
