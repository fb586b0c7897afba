/** Event metadata from the request that caused the change: the caller's correlation id and trace, else our request id. */
import type { EventContext } from '../reservation-events';

/** The parts of a Fastify request this needs. */
interface RequestLike {
  id: string;
  headers: Record<string, string | string[] | undefined>;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

const header = (request: RequestLike, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
};

export function eventContextOf(request: RequestLike): EventContext {
  const traceparent = header(request, 'traceparent');
  return {
    correlationId: header(request, 'x-correlation-id') ?? request.id,
    causationId: request.id,
    ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
  };
}
