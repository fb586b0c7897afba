/**
 * pino `mixin` that stamps every log line written inside a span with that span's ids, so a log search by
 * `trace_id` finds the lines of one request across every service. Usage: `pino({ mixin: traceLogMixin })`.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';

export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

export function traceLogMixin(): TraceLogFields {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`,
  };
}
