/**
 * Which headers cross the gateway. Requests use an allowlist: a client cannot smuggle identity headers
 * (`x-customer-id`, `x-user-id`, `x-forwarded-user`, …) or hop-by-hop headers to an internal service, whatever their
 * name — identity travels only inside the verified bearer token. Responses drop hop-by-hop headers only.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** End-to-end request headers an internal service may need; everything else stops at the gateway. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'authorization', // the customer's own JWT: internal services verify it themselves
  'content-type',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'prefer', // RFC 7240, e.g. `wait=10` on GET /orders/{id}
  'user-agent',
  'x-correlation-id',
  // Not traceparent/tracestate/baggage: the upstream call's parent must be the gateway's own span, and
  // OpenTelemetry's HTTP instrumentation injects exactly that. Copying the client's header as well would send two
  // traceparent values, which the service rejects as invalid and starts a new, disconnected trace.
];

/** RFC 9110 §7.6.1: meaningful for one connection only, never forwarded (plus whatever `Connection` names). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export interface ForwardContext {
  requestId: string;
  clientIp: string;
}

export function upstreamRequestHeaders(incoming: IncomingHttpHeaders, context: ForwardContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') headers[name] = value;
  }
  // Set by the gateway, never taken from the client: it is the edge, so the socket's peer is the client.
  headers['x-request-id'] = context.requestId;
  headers['x-forwarded-for'] = context.clientIp;
  return headers;
}

/** Response headers to pass back to the client; the gateway sets its own length, request id and connection handling. */
export function clientResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const named = String(upstream.connection ?? '')
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.includes(name)) continue;
    if (name === 'content-length' || name === 'x-request-id' || name === 'date') continue;
    headers[name] = value;
  }
  return headers;
}
