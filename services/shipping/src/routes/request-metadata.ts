/** Event metadata from the request that caused a change: its correlation id (or the request id) and trace context. */
import type { EventMetadata } from '@shop/contracts';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The parts of a Fastify request this needs. */
interface IncomingRequest {
  readonly id: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export function eventMetadataOf(request: IncomingRequest): EventMetadata {
  const correlation = request.headers['x-correlation-id'];
  const traceparent = request.headers.traceparent;
  return {
    correlationId: typeof correlation === 'string' && correlation.length > 0 ? correlation.slice(0, 200) : request.id,
    causationId: request.id,
    // A malformed header is ignored rather than failing the request: tracing must never break business.
    ...(typeof traceparent === 'string' && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
  };
}
