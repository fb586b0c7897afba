/**
 * Starts OpenTelemetry tracing for the process: resource (service.name), sampler, exporters and the
 * auto-instrumentations. Call it before anything else is loaded — normally through `--require
 * @shop/telemetry/register` — because instrumentation works by patching modules when they are first required.
 * With no exporter configured (or `OTEL_SDK_DISABLED=true`) it starts nothing and the OpenTelemetry API stays no-op.
 */
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type * as NodeSdkTracing from './node-sdk-tracing';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry-config';

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
  /** False when spans would go nowhere (no exporter, or the SDK disabled): then no SDK or instrumentation runs. */
  readonly tracing: boolean;
  /** Exports the spans still buffered, then stops. Add it as the last resource a service closes. */
  shutdown(): Promise<void>;
}

let started: Telemetry | undefined;

/** Idempotent: a second call (e.g. `register` plus an explicit call in main) returns the running instance. */
export function startTelemetry(options: StartTelemetryOptions = {}): Telemetry {
  if (started) return started;
  const env = options.env ?? process.env;
  const config = readTelemetryConfig(env); // whether or not tracing runs: a misspelt setting must not pass silently
  const tracing =
    !config.disabled && (options.spanProcessors ? options.spanProcessors.length > 0 : config.exporters.length > 0);

  // Spans that no processor exports would still be created, recorded and dropped on every request, query and
  // SNS/SQS call — and constructing the instrumentations alone patches http, fetch, Fastify, pg and the AWS SDK.
  // So with tracing off nothing starts (the SDK is not even loaded): the API's no-op tracer runs explicit spans'
  // callbacks, and the process takes no part in traces (README, "Cost when off").
  if (!tracing) {
    const off: Telemetry = {
      config,
      tracing,
      shutdown: async () => {
        if (started === off) started = undefined;
      },
    };
    return (started = off);
  }

  // A plain require keeps the SDK's few hundred modules out of processes that never trace (an `import` would
  // load them at start-up, tracing or not).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startNodeSdkTracing } = require('./node-sdk-tracing') as typeof NodeSdkTracing;
  const sdk = startNodeSdkTracing({ ...options, config, env });
  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    config,
    tracing,
    shutdown: () => (stopping ??= sdk.shutdown().finally(() => (started = undefined))),
  };
  return (started = telemetry);
}

/** Flushes and stops tracing if it was started; safe to call either way (e.g. as a service's last resource). */
export async function shutdownTelemetry(): Promise<void> {
  await started?.shutdown();
}
