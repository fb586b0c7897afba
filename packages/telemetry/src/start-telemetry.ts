/**
 * Starts OpenTelemetry tracing for the process: resource (service.name), sampler, exporters and the
 * auto-instrumentations. Call it before anything else is loaded — normally through `--require
 * @shop/telemetry/register` — because instrumentation works by patching modules when they are first required.
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
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config';
import { CollectorSpanExporter } from './trace-viewer/collector-span-exporter';

export interface StartTelemetryOptions {
  /** Overrides `OTEL_SERVICE_NAME`. */
  serviceName?: string;
  /** Replace the exporters chosen from the environment (tests pass an in-memory exporter here). */
  spanProcessors?: SpanProcessor[];
  /** Replace the default auto-instrumentations. */
  instrumentations?: Instrumentation[];
  env?: NodeJS.ProcessEnv;
}

export interface Telemetry {
  readonly config: TelemetryConfig;
  /** Exports the spans still buffered, then stops. Add it as the last resource a service closes. */
  shutdown(): Promise<void>;
}

let started: Telemetry | undefined;

/** Idempotent: a second call (e.g. `register` plus an explicit call in main) returns the running instance. */
export function startTelemetry(options: StartTelemetryOptions = {}): Telemetry {
  if (started) return started;
  const env = options.env ?? process.env;
  const config = readTelemetryConfig(env);

  const sdk = new NodeSDK({
    ...(options.serviceName ? { serviceName: options.serviceName } : {}),
    spanProcessors: options.spanProcessors ?? spanProcessorsFor(config, env),
    instrumentations: options.instrumentations ?? defaultInstrumentations(),
    // Metrics are Prometheus via prom-client (see `metrics/`) and logs go to stdout through pino, so the SDK's
    // own metric and log pipelines stay off (their default would be OTLP exports every few seconds).
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    config,
    shutdown: () => (stopping ??= sdk.shutdown().finally(() => (started = undefined))),
  };
  started = telemetry;
  return telemetry;
}

function spanProcessorsFor(config: TelemetryConfig, env: NodeJS.ProcessEnv): SpanProcessor[] {
  if (config.disabled) return [];
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

/** Flushes and stops tracing if it was started; safe to call either way (e.g. as a service's last resource). */
export async function shutdownTelemetry(): Promise<void> {
  await started?.shutdown();
}
