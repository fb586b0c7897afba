/**
 * The small JSON shape of a finished span that travels from a service to the trace collector and feeds the
 * waterfall: just what a learner reads (who, what, when, how long, failed or not, related to which span).
 */
import { SpanKind, SpanStatusCode, type AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export type CollectedSpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export interface SpanReference {
  traceId: string;
  spanId: string;
}

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  /** Absent for a trace's root span. */
  parentSpanId?: string;
  /** The resource's `service.name`, e.g. `order-service`. */
  service: string;
  /** The operation, e.g. `POST /orders` or `publish OrderPlaced`. */
  name: string;
  kind: CollectedSpanKind;
  /** Milliseconds since the epoch, fractional. */
  startTimeMs: number;
  durationMs: number;
  /** Set when the span ended with an error status: its message (or `error`). */
  error?: string;
  attributes: Record<string, AttributeValue>;
  /** Spans this one follows from without being their child. */
  links: SpanReference[];
}

const kindNames: Record<SpanKind, CollectedSpanKind> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const hrTimeToMs = ([seconds, nanos]: [number, number]): number => seconds * 1e3 + nanos / 1e6;

export function toCollectedSpan(span: ReadableSpan): CollectedSpan {
  const { traceId, spanId } = span.spanContext();
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(span.attributes)) if (value !== undefined) attributes[key] = value;
  const collected: CollectedSpan = {
    traceId,
    spanId,
    service: String(span.resource.attributes['service.name'] ?? 'unknown_service'),
    name: span.name,
    kind: kindNames[span.kind] ?? 'internal',
    startTimeMs: hrTimeToMs(span.startTime),
    durationMs: hrTimeToMs(span.duration),
    attributes,
    links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
  };
  if (span.parentSpanContext) collected.parentSpanId = span.parentSpanContext.spanId;
  if (span.status.code === SpanStatusCode.ERROR) collected.error = span.status.message || errorFromEvents(span);
  return collected;
}

function errorFromEvents(span: ReadableSpan): string {
  const exception = span.events.find((event) => event.name === 'exception');
  return String(exception?.attributes?.['exception.message'] ?? 'error');
}
