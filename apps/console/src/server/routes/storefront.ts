/**
 * The storefront's way to the shop: the page calls `/gateway/api/…` on the console, which forwards the request to
 * the gateway as it is (the customer's own bearer token included) and the answer back as it is. The page never
 * calls a service directly and holds no service credentials; the gateway does for it what it does for any client.
 *
 * Placing an order has one helper on top: right after registering, the order service may not know the customer yet
 * (it learns customers from UserRegistered events, asynchronously), and answers 422 unknown-customer. The console
 * waits for the event and tries again for a few seconds, and says how long it waited.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpProblem, type ServiceApp } from '@shop/service-kit';

const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'idempotency-key'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'retry-after', 'www-authenticate', 'x-request-id', 'location'];
const REPLICA_WAIT_MS = 5_000;

interface Forwarded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function forward(
  gatewayUrl: string,
  method: string,
  path: string,
  headers: Record<string, unknown>,
  body?: Buffer,
) {
  const outgoing: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) if (typeof headers[name] === 'string') outgoing[name] = headers[name];
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: outgoing,
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
  } catch {
    throw new HttpProblem(
      502,
      'gateway-unavailable',
      'Gateway unavailable',
      `the gateway at ${gatewayUrl} did not answer`,
    );
  }
  const answer: Forwarded = { status: response.status, headers: {}, body: await response.text() };
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) answer.headers[name] = value;
  }
  return answer;
}

const isUnknownCustomer = (answer: Forwarded) => answer.status === 422 && /unknown-customer/.test(answer.body);

export function registerStorefrontRoutes(app: ServiceApp, gatewayUrl: string): void {
  void app.register(async (scope) => {
    // Bodies pass through untouched: no parsing, no validation here — the gateway does that.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post('/api/storefront/orders', async (request, reply) => {
      const place = () => forward(gatewayUrl, 'POST', '/api/orders', request.headers, request.body as Buffer);
      const startedAt = Date.now();
      let answer = await place();
      let waitedMs = 0;
      while (isUnknownCustomer(answer) && Date.now() - startedAt < REPLICA_WAIT_MS) {
        await sleep(200);
        answer = await place();
        waitedMs = Date.now() - startedAt;
      }
      return reply
        .code(answer.status)
        .headers({ ...answer.headers, 'x-console-waited-for-replica-ms': String(waitedMs) })
        .send(answer.body);
    });

    scope.all('/gateway/api/*', async (request, reply) => {
      const path = request.url.slice('/gateway'.length);
      const answer = await forward(
        gatewayUrl,
        request.method,
        path,
        request.headers,
        request.body as Buffer | undefined,
      );
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  });
}
