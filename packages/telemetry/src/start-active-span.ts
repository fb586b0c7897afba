/**
 * Explicit spans for what auto-instrumentation cannot see (publishing from the outbox, consuming a message, a saga
 * step): one call that starts the span, makes it active for `fn`, records a thrown error and always ends it.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { extractTraceContext, linkFromCarrier, type TraceCarrier } from './trace-context';

export { SpanKind };

const tracer = trace.getTracer('@shop/telemetry');

export interface ActiveSpanOptions {
  /** INTERNAL by default; PRODUCER when publishing a message, CONSUMER when handling one. */
  kind?: SpanKind;
  attributes?: Attributes;
  /** Parent the span on a received or stored context (e.g. a message's traceparent) instead of the active span. */
  parent?: Partial<TraceCarrier>;
  /** Contexts this work follows from without being their child (a saga resumed after a crash, a batch). */
  links?: ReadonlyArray<Partial<TraceCarrier> | undefined>;
  /** Start a new trace even when a span is active (the links still record where the work came from). */
  root?: boolean;
}

/**
 * Runs `fn` inside a new active span and returns its result. A throw (or rejection) marks the span as an error
 * with the exception recorded, then propagates unchanged; the span always ends.
 */
export async function startActiveSpan<T>(
  name: string,
  options: ActiveSpanOptions,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  const base = options.root ? ROOT_CONTEXT : context.active();
  const parentContext = options.parent ? extractTraceContext(options.parent, base) : base;
  const links = (options.links ?? []).map((carrier) => linkFromCarrier(carrier)).filter((l): l is Link => !!l);
  const spanOptions = { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links };

  return tracer.startActiveSpan(name, spanOptions, parentContext, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts a new trace *linked* to stored contexts rather than parented on them: for work resumed long after its
 * cause (a saga step retried after a restart), where a parent would stretch the original trace over hours.
 */
export function startLinkedSpan<T>(
  name: string,
  linkedTo: ReadonlyArray<Partial<TraceCarrier> | undefined>,
  fn: (span: Span) => T | Promise<T>,
  options: Omit<ActiveSpanOptions, 'links' | 'root' | 'parent'> = {},
): Promise<T> {
  return startActiveSpan(name, { ...options, links: linkedTo, root: true }, fn);
}
