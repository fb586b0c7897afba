/**
 * The metadata an event inherits from the request that caused it: the correlation id ties together everything
 * one user action set off across services (propagated in `x-correlation-id`, starting from the first request id),
 * the causation id names the request itself.
 */
import type { FastifyRequest } from 'fastify';
import { isAdoptableId } from './request-id';

export interface RequestEventMetadata {
  correlationId: string;
  causationId: string;
}

export function eventMetadataOf(request: FastifyRequest): RequestEventMetadata {
  const header = request.headers['x-correlation-id'];
  // The same rule as for request ids: the value ends up in events, the database and logs.
  const correlationId = isAdoptableId(header) ? header : request.id;
  return { correlationId, causationId: request.id };
}
