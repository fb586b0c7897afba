/**
 * Trace context across hops that OpenTelemetry cannot see on its own: a message that waits in an outbox row, an SNS
 * topic and an SQS queue, or a saga step resumed after a crash. The context travels as a W3C `traceparent` (plus
 * `tracestate`) string pair, so it fits in an event's `metadata` and in a message attribute.
 */
import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type SpanContext,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The serialised trace context stored with a message (W3C Trace Context header values). */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

// Always W3C, whatever propagator the process configured globally: the stored format is part of the event
// envelope contract (`metadata.traceparent`), not a deployment choice.
const w3c = new W3CTraceContextPropagator();

/** The active span's context as `{ traceparent, tracestate? }`, or `undefined` when no span is recording one. */
export function injectTraceContext(from: Context = context.active()): TraceCarrier | undefined {
  const headers: Record<string, string> = {};
  w3c.inject(from, headers, defaultTextMapSetter);
  if (!headers.traceparent) return undefined;
  return headers.tracestate
    ? { traceparent: headers.traceparent, tracestate: headers.tracestate }
    : { traceparent: headers.traceparent };
}

/**
 * A context whose parent is the span described by `carrier` (a remote parent). A missing or malformed carrier
 * gives back `base` unchanged, so a message without trace context simply starts a new trace.
 */
export function extractTraceContext(
  carrier: Partial<TraceCarrier> | undefined,
  base: Context = context.active(),
): Context {
  if (!carrier?.traceparent) return base;
  return w3c.extract(base, carrier, defaultTextMapGetter);
}

/** Runs `fn` with the message's span as the active parent: spans started inside become its children. */
export function withRemoteParent<T>(carrier: Partial<TraceCarrier> | undefined, fn: () => T): T {
  return context.with(extractTraceContext(carrier), fn);
}

/** The span context a carrier describes, or `undefined` if it is missing or malformed. */
export function spanContextFromCarrier(carrier: Partial<TraceCarrier> | undefined): SpanContext | undefined {
  const spanContext = trace.getSpanContext(extractTraceContext(carrier, ROOT_CONTEXT));
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** A span link to the stored context (ignored when the carrier is unusable). */
export function linkFromCarrier(
  carrier: Partial<TraceCarrier> | undefined,
  attributes?: Link['attributes'],
): Link | undefined {
  const spanContext = spanContextFromCarrier(carrier);
  return spanContext ? { context: spanContext, ...(attributes ? { attributes } : {}) } : undefined;
}
