/**
 * The fuzz property, route by route, through `app.inject` (no ports): whatever arrives, the answer is never a 5xx,
 * every error is `application/problem+json` whose `status` matches, and a rejected request changes nothing in the
 * service's database(s).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { requestFor, type FuzzRequest } from './request-arbitraries';
import { routesFromOpenApi, type FuzzRoute } from './route-catalog';

export interface FuzzTarget {
  name: string;
  app: FastifyInstance;
  /** Fingerprint of everything the request could write (the service's database; the gateway's upstreams'). */
  snapshot(): Promise<string>;
  /** Authorization header values to draw from (`undefined` = no header). */
  authorizations: readonly (string | undefined)[];
  /** Valid path values (an existing id, sku…) mixed into the odd ones, so some requests reach deeper. */
  knownPathValues?: readonly string[];
  /**
   * A 4xx that is a recorded business outcome (e.g. payment's 402 decline, stored by design) may write.
   * Returns true for such answers.
   */
  rejectionMayWrite?(route: FuzzRoute, status: number): boolean;
  /** Extra expectation per answer (e.g. "without a token, every protected route answers 401"); throw to fail. */
  expect?(route: FuzzRoute, status: number, request: FuzzRequest): void;
}

export interface RouteFuzzResult {
  route: string;
  cases: number;
  statuses: Record<number, number>;
  failure?: string;
}

export async function listRoutes(app: FastifyInstance): Promise<FuzzRoute[]> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' });
  return routesFromOpenApi(response.json());
}

export async function checkAnswer(target: FuzzTarget, route: FuzzRoute, request: FuzzRequest): Promise<number> {
  const before = await target.snapshot();
  const response = await target.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: request.headers,
    ...(request.payload !== undefined ? { payload: request.payload } : {}),
  });
  const status = response.statusCode;
  if (status >= 500) throw new Error(`answered ${status}: ${response.body.slice(0, 300)}`);
  if (status >= 400) {
    const type = String(response.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json')) throw new Error(`${status} with content-type "${type}"`);
    const problem = response.json() as { type?: unknown; status?: unknown };
    if (typeof problem.type !== 'string' || problem.status !== status) {
      throw new Error(`${status} problem body without matching type/status: ${response.body.slice(0, 200)}`);
    }
    if (!target.rejectionMayWrite?.(route, status) && (await target.snapshot()) !== before) {
      throw new Error(`rejected with ${status} but the database changed (partial write)`);
    }
  }
  target.expect?.(route, status, request);
  return status;
}

export async function fuzzTarget(
  target: FuzzTarget,
  options: { seed: number; runsPerRoute: number },
): Promise<RouteFuzzResult[]> {
  const results: RouteFuzzResult[] = [];
  const authorization = fc.constantFrom(...target.authorizations);
  for (const route of await listRoutes(target.app)) {
    const result: RouteFuzzResult = { route: `${route.method} ${route.path}`, cases: 0, statuses: {} };
    const details = await fc.check(
      fc.asyncProperty(requestFor(route, authorization, target.knownPathValues ?? []), async (request) => {
        const status = await checkAnswer(target, route, request);
        result.cases += 1;
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      }),
      { seed: options.seed, numRuns: options.runsPerRoute, endOnFailure: true },
    );
    if (details.failed) {
      const counterexample = details.counterexample?.[0] as FuzzRequest | undefined;
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      result.failure = `${error}\n      request: ${counterexample ? describe(counterexample) : '?'}`;
    }
    results.push(result);
  }
  return results;
}

function describe(request: FuzzRequest): string {
  const payload =
    request.payload === undefined
      ? ''
      : Buffer.isBuffer(request.payload)
        ? `<${request.payload.length} bytes>`
        : request.payload.slice(0, 200);
  return `${request.method} ${request.url.slice(0, 200)} [${request.label}] headers=${JSON.stringify(request.headers).slice(0, 300)} body=${payload}`;
}

export function formatFuzzResults(service: string, results: RouteFuzzResult[]): string {
  const lines = results.map((r) => {
    const statuses = Object.entries(r.statuses)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    return `  ${service.padEnd(10)} ${r.route.padEnd(46)} ${String(r.cases).padStart(5)} cases  ${r.failure ? 'FAILED' : statuses}`;
  });
  return lines.join('\n');
}
