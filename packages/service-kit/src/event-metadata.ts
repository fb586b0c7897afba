/**
 * The metadata an event inherits from the request that caused it: the correlation id ties together everything
 * one user action set off across services (propagated in `x-correlation-id`, starting from the first request id),
 * the causation id names the request itself.
 */
import type { FastifyRequest } from 'fastify';

export interface RequestEventMetadata {
  correlationId: string;
  causationId: string;
}

export function eventMetadataOf(request: FastifyRequest): RequestEventMetadata {
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : request.id;
  return { correlationId, causationId: request.id };
}
