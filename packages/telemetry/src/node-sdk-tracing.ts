/**
 * The OpenTelemetry NodeSDK with our exporters and auto-instrumentations: the part of `startTelemetry` that runs
 * only when spans go somewhere. Loaded on demand, so a process with tracing off never loads the SDK at all.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type BatchSpanProcessorOptions,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { defaultInstrumentations } from './instrumentations';
import type { TelemetryConfig } from './telemetry-config';
import { CollectorSpanExporter } from './trace-viewer/collector-span-exporter';

export interface NodeSdkTracingOptions {
  config: TelemetryConfig;
  env: NodeJS.ProcessEnv;
  serviceName?: string;
  /** Instead of the exporters in `config`. */
  spanProcessors?: SpanProcessor[];
  /** Instead of `defaultInstrumentations()`. */
  instrumentations?: Instrumentation[];
}

/** Starts the SDK; resolves `shutdown` once the buffered spans are exported. */
export function startNodeSdkTracing(options: NodeSdkTracingOptions): { shutdown(): Promise<void> } {
  const sdk = new NodeSDK({
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    spanProcessors: options.spanProcessors ?? spanProcessorsFor(options.config, options.env),
    instrumentations: options.instrumentations ?? defaultInstrumentations(),
    // Metrics are Prometheus via prom-client (see `metrics/`) and logs go to stdout through pino, so the SDK's
    // own metric and log pipelines stay off (their default would be OTLP exports every few seconds).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}

function spanProcessorsFor(config: TelemetryConfig, env: NodeJS.ProcessEnv): SpanProcessor[] {
  return config.exporters.map((name) => {
    switch (name) {
      case 'otlp':
        // OTLP/HTTP; reads OTEL_EXPORTER_OTLP_ENDPOINT (…/v1/traces is appended) and the other standard variables.
        return new BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...batchSettingsFrom(env) });
      case 'console':
        return new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() });
      case 'collector':
        // The default batch delay (5 s) would make the demo's waterfall lag far behind the request.
        return new BatchSpanProcessor({
          exporter: new CollectorSpanExporter({ url: config.collectorUrl! }),
          scheduledDelayMillis: 200,
          ...batchSettingsFrom(env),
        });
    }
  });
}

/**
 * The standard `OTEL_BSP_*` batch settings. Since SDK 3 the BatchSpanProcessor no longer reads the environment
 * itself, so a processor built in code (as ours are) honours them only when they are passed in.
 */
function batchSettingsFrom(env: NodeJS.ProcessEnv): Partial<BatchSpanProcessorOptions> {
  const settings: Partial<BatchSpanProcessorOptions> = {};
  const read = (name: string): number | undefined => {
    const value = Number(env[name]);
    return env[name]?.trim() && Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const scheduledDelayMillis = read('OTEL_BSP_SCHEDULE_DELAY');
  const exportTimeoutMillis = read('OTEL_BSP_EXPORT_TIMEOUT');
  const maxQueueSize = read('OTEL_BSP_MAX_QUEUE_SIZE');
  const maxExportBatchSize = read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
  if (scheduledDelayMillis !== undefined) settings.scheduledDelayMillis = scheduledDelayMillis;
  if (exportTimeoutMillis !== undefined) settings.exportTimeoutMillis = exportTimeoutMillis;
  if (maxQueueSize !== undefined) settings.maxQueueSize = maxQueueSize;
  if (maxExportBatchSize !== undefined) settings.maxExportBatchSize = maxExportBatchSize;
  return settings;
}
