// A real Fastify server on an OS-chosen port whose answers each test scripts in advance.
import Fastify, { type FastifyInstance } from 'fastify';

export interface ScriptedResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** Never answer: the client has to give up (the socket is closed when the server stops). */
  readonly hang?: boolean;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

export interface ScriptedServer {
  readonly baseUrl: string;
  readonly received: ReceivedRequest[];
  /** Queues answers for the next requests; with the queue empty the server answers 200 `{ ok: true }`. */
  respond(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  // forceCloseConnections: close() must not wait for requests the test left hanging on purpose.
  const app: FastifyInstance = Fastify({ forceCloseConnections: true });
  const queue: ScriptedResponse[] = [];
  const received: ReceivedRequest[] = [];
  app.all('/*', async (request, reply) => {
    received.push({ method: request.method, url: request.url, headers: request.headers, body: request.body });
    const next = queue.shift() ?? { body: { ok: true } };
    if (next.hang) return new Promise(() => undefined);
    reply.code(next.status ?? 200).headers(next.headers ?? {});
    if (next.contentType === undefined) return reply.send(next.body); // objects go out as application/json
    reply.type(next.contentType);
    return reply.send(next.contentType.includes('json') ? JSON.stringify(next.body) : next.body);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    received,
    respond: (...responses) => queue.push(...responses),
    close: () => app.close(),
  };
}

/** An RFC 9457 answer as our services send them. */
export function problem(status: number, type: string, title: string, detail?: string): ScriptedResponse {
  return { status, contentType: 'application/problem+json', body: { type, title, status, detail } };
}
