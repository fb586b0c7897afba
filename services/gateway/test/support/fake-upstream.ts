/**
 * A stand-in internal service: a real HTTP server on a port the OS picks, recording every request it receives and
 * answering as the test scripts it (by default it echoes the request back as JSON). It can be stopped and started
 * again on the same port, to play a process that goes down and comes back.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Responder = (request: FastifyRequest, reply: FastifyReply) => unknown;

const echo: Responder = (request) => ({
  method: request.method,
  url: request.url,
  headers: request.headers,
  body: request.body ?? null,
});

export class FakeUpstream {
  readonly received: ReceivedRequest[] = [];
  respond: Responder = echo;
  private server: FastifyInstance | undefined;
  private port = 0;
  /** Requests held open by `hang()`; released (with a 200) when the server stops. */
  private readonly hanging = new Set<() => void>();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = Fastify({ logger: false, forceCloseConnections: true });
    server.all('/*', async (request, reply) => {
      this.received.push({ method: request.method, url: request.url, headers: request.headers, body: request.body });
      return this.respond(request, reply);
    });
    await server.listen({ port: this.port, host: '127.0.0.1' });
    this.port = (server.server.address() as { port: number }).port;
    this.server = server;
    return this;
  }

  /** Makes every request wait until the server stops. */
  hang(): void {
    this.respond = () => new Promise<object>((resolve) => this.hanging.add(() => resolve({ late: true })));
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.hanging.clear();
    await this.server?.close();
    this.server = undefined;
  }
}
