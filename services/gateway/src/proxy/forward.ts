/**
 * Forwarding one public request to an upstream and answering the client. The upstream's answer passes through
 * (status, body, end-to-end headers; a relative `Location` gains the `/api` prefix); when there is no answer the
 * client gets a problem instead of a hang: 503 `upstream-unavailable` (no connection, or the circuit is open) or
 * 504 `upstream-timeout`, both with `Retry-After`.
 */
import { BrokenCircuitError, TimeoutError } from '@shop/resilience';
import { HttpProblem, type FastifyReply, type FastifyRequest } from '@shop/service-kit';
import { clientResponseHeaders, upstreamRequestHeaders } from './forwarded-headers';
import type { Upstream, UpstreamResponse } from './upstream';

/** Public paths are the internal ones under `/api` (`/orders/1` → `/api/orders/1`). */
export const PUBLIC_PREFIX = '/api';

export interface ForwardOptions {
  /** Path on the upstream, without the query string. */
  path: string;
  query?: Record<string, unknown>;
  /** Replaces the client's `Authorization` (e.g. the gateway's own service token). */
  authorization?: string;
  /** Sent as JSON; defaults to the request body. */
  body?: unknown;
  /** This route's limit instead of the upstream's default (routes that hash a password take longer by design). */
  timeoutMs?: number;
}

/** Calls the upstream with the request's end-to-end headers; turns "no answer" into a problem. */
export async function callUpstream(
  upstream: Upstream,
  request: FastifyRequest,
  options: ForwardOptions,
): Promise<UpstreamResponse> {
  const headers = upstreamRequestHeaders(request.headers, { requestId: request.id, clientIp: request.ip });
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const body = options.body ?? request.body;
  let response: UpstreamResponse;
  try {
    response = await upstream.call({
      method: request.method,
      path: options.path + queryString(options.query),
      headers,
      ...(body === undefined || body === null ? {} : { body: JSON.stringify(body) }),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  } catch (error) {
    throw unavailable(upstream, error, request);
  }
  // Passed through as it came; logged here so a 500 (a bug upstream, which the breaker does not count) is seen.
  if (response.status >= 500) request.log.warn({ upstream: upstream.name, status: response.status }, 'upstream failed');
  return response;
}

/** Sends an upstream's answer to the client as it came, apart from hop-by-hop headers and a public `Location`. */
export function sendUpstreamResponse(reply: FastifyReply, response: UpstreamResponse, body: Buffer = response.body) {
  const headers = clientResponseHeaders(response.headers);
  if (typeof headers.location === 'string') headers.location = publicLocation(headers.location);
  return reply.code(response.status).headers(headers).send(body);
}

export async function forward(
  upstream: Upstream,
  request: FastifyRequest,
  reply: FastifyReply,
  options: ForwardOptions,
) {
  return sendUpstreamResponse(reply, await callUpstream(upstream, request, options));
}

export function publicLocation(location: string): string {
  return location.startsWith('/') && !location.startsWith(`${PUBLIC_PREFIX}/`) ? PUBLIC_PREFIX + location : location;
}

function queryString(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function unavailable(upstream: Upstream, error: unknown, request: FastifyRequest): HttpProblem {
  if (error instanceof TimeoutError) {
    request.log.warn({ upstream: upstream.name, timeoutMs: error.timeoutMs }, 'upstream timed out');
    return new HttpProblem(
      504,
      'upstream-timeout',
      'Upstream timed out',
      `${upstream.name} did not answer within ${error.timeoutMs} ms`,
      { upstream: upstream.name },
      { 'retry-after': String(retryAfterSeconds(upstream)) },
    );
  }
  const open = error instanceof BrokenCircuitError;
  if (!open) request.log.warn({ upstream: upstream.name, err: error }, 'upstream unreachable');
  return new HttpProblem(
    503,
    'upstream-unavailable',
    'Upstream unavailable',
    open ? `${upstream.name} is failing; calls are paused (circuit open)` : `${upstream.name} could not be reached`,
    { upstream: upstream.name },
    { 'retry-after': String(retryAfterSeconds(upstream, error)) },
  );
}

/** When the circuit is open (or this failure just opened it), come back when trials start; otherwise in a second. */
function retryAfterSeconds(upstream: Upstream, error?: unknown): number {
  const ms = error instanceof BrokenCircuitError ? error.retryAfterMs : upstream.breaker.metrics().retryAfterMs;
  return Math.max(1, Math.ceil((ms ?? 1_000) / 1_000));
}
