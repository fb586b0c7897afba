// Tracing bootstrap
export { startTelemetry, shutdownTelemetry, type StartTelemetryOptions, type Telemetry } from './start-telemetry';
export {
  readTelemetryConfig,
  TelemetryConfigError,
  type TelemetryConfig,
  type TraceExporterName,
} from './telemetry-config';
// Not the instrumentations (`instrumentations.ts`): re-exported here, they would load every instrumentation package
// into processes that never trace. `startTelemetry` loads them only when spans are exported.

// Trace context for messages and explicit spans
export {
  injectTraceContext,
  extractTraceContext,
  withRemoteParent,
  spanContextFromCarrier,
  linkFromCarrier,
  type TraceCarrier,
} from './trace-context';
export { startActiveSpan, startLinkedSpan, SpanKind, type ActiveSpanOptions } from './start-active-span';

// Logs
export { traceLogMixin, type TraceLogFields } from './trace-log-mixin';

// Metrics (Prometheus)
export { createMetricsRegistry, registeredMetric, type MetricsRegistryOptions } from './metrics/metrics-registry';
export {
  registerHttpMetrics,
  httpDurationBuckets,
  type HttpMetricsOptions,
  type AnyFastifyInstance,
} from './metrics/http-metrics';
export { registerMetricsRoute } from './metrics/metrics-route';
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from './metrics/metrics-server';
export { sampledGauge, type Sample } from './metrics/sampled-gauge';
export {
  circuitBreakerMetrics,
  retryMetrics,
  breakerStateValue,
  type BreakerState,
  type CircuitBreakerMetrics,
  type RetryMetrics,
} from './metrics/resilience-metrics';
export {
  outboxMetrics,
  consumerMetrics,
  dlqDepthMetrics,
  type OutboxBacklog,
  type ConsumerMetrics,
} from './metrics/messaging-metrics';
export { sagaMetrics, type SagaMetrics, type SagaMetricsSources, type SagaStateCount } from './metrics/saga-metrics';
export { retentionMetrics, type RetentionMetrics, type TableRowCount } from './metrics/retention-metrics';
export { databaseMetrics, type DatabaseCounts } from './metrics/database-metrics';
export type { Registry } from 'prom-client';

// Trace viewer (no Jaeger needed)
export {
  toCollectedSpan,
  type CollectedSpan,
  type CollectedSpanKind,
  type SpanReference,
} from './trace-viewer/collected-span';
export { CollectorSpanExporter, type CollectorSpanExporterOptions } from './trace-viewer/collector-span-exporter';
export {
  startTraceCollector,
  type TraceCollector,
  type TraceCollectorOptions,
  type WaitForTraceOptions,
} from './trace-viewer/trace-collector';
export { renderWaterfall, type WaterfallOptions } from './trace-viewer/waterfall';
