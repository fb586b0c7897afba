/**
 * The metadata an event inherits from the request that caused it — the one way every service fills an event's
 * `metadata`:
 * - `correlationId` ties together everything one user action set off across services: the caller's
 *   `x-correlation-id`, or this request's id when it starts the chain;
 * - `causationId` names the request itself;
 * - `traceparent` is the active span's (the request's server span when telemetry runs), so the outbox relay and the
 *   consumers continue the request's trace. Without a recording span, the caller's own `traceparent` header is the
 *   best parent there is; a malformed one is left out rather than failing the request.
 */
import type { EventMetadata } from '@shop/contracts';
import { injectTraceContext } from '@shop/telemetry';
import type { FastifyRequest } from 'fastify';
import { isAdoptableId } from './request-id';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The parts of a request this reads (structural, so a plain object in a unit test will do). */
export type RequestLike = Pick<FastifyRequest, 'id' | 'headers'>;

export function eventMetadataOf(request: RequestLike): EventMetadata {
  const header = request.headers['x-correlation-id'];
  // The same rule as for request ids: the value ends up in events, the database and logs.
  const correlationId = isAdoptableId(header) ? header : request.id;
  const traceparent = injectTraceContext()?.traceparent ?? callerTraceparent(request);
  return { correlationId, causationId: request.id, ...(traceparent ? { traceparent } : {}) };
}

function callerTraceparent(request: RequestLike): string | undefined {
  const header = request.headers.traceparent;
  return typeof header === 'string' && TRACEPARENT.test(header) ? header : undefined;
}
