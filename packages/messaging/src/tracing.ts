/**
 * One trace across the queue. The span that writes an event (usually an HTTP request) is stored with the outbox row
 * as a W3C traceparent; the relay publishes each event in a PRODUCER span that is its child, and sends that span's
 * traceparent as a message attribute; the consumer runs the handler in a CONSUMER span that continues it. So a trace
 * started by `POST /orders` shows the SNS publish and the SQS handler in another service, even though the relay
 * published seconds later from its own loop. Without an OpenTelemetry SDK running, all of this is a no-op.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext, startActiveSpan } from '@shop/telemetry';

const tracer = trace.getTracer('@shop/messaging');

/** The traceparent stored with an outbox row: the one the event carries, else the active span's. */
export function traceparentToStore(fromEvent: string | undefined): string | undefined {
  return fromEvent ?? injectTraceContext()?.traceparent;
}

export interface PublishSpan {
  span: Span;
  /** What the message carries so the consumer continues this trace. */
  traceparent?: string;
}

export function startPublishSpan(
  event: { eventType: string; eventId: string; aggregateId: string; traceparent?: string },
  topicArn: string,
): PublishSpan {
  const parent = extractTraceContext(event.traceparent ? { traceparent: event.traceparent } : undefined, ROOT_CONTEXT);
  const span = tracer.startSpan(
    `${event.eventType} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'aws_sns',
        'messaging.operation.type': 'publish',
        'messaging.destination.name': topicArn.split(':').pop() ?? topicArn,
        'messaging.message.id': event.eventId,
        'shop.aggregate_id': event.aggregateId,
      },
    },
    parent,
  );
  const carrier = injectTraceContext(trace.setSpan(parent, span));
  return { span, traceparent: carrier?.traceparent ?? event.traceparent };
}

export function endPublishSpans(spans: readonly PublishSpan[], failedMessage?: string): void {
  for (const { span } of spans) {
    if (failedMessage) span.setStatus({ code: SpanStatusCode.ERROR, message: failedMessage });
    span.end();
  }
}

/** Runs `handle` in a CONSUMER span whose parent is the publisher's span (message attribute, else the envelope). */
export function withConsumeSpan<T>(
  consumer: string,
  event: { eventType: string; eventId: string; metadata: { traceparent?: string } },
  attributeTraceparent: string | undefined,
  handle: () => Promise<T>,
): Promise<T> {
  const traceparent = attributeTraceparent ?? event.metadata.traceparent;
  return startActiveSpan(
    `${event.eventType} process`,
    {
      kind: SpanKind.CONSUMER,
      parent: traceparent ? { traceparent } : undefined,
      attributes: {
        'messaging.system': 'aws_sqs',
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': consumer,
        'messaging.message.id': event.eventId,
      },
    },
    () => handle(),
  );
}
