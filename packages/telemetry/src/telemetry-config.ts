/**
 * Reads the tracing environment variables, the standard OpenTelemetry ones wherever they exist, and fails with
 * one clear message per bad value (like every other setting in this repository).
 *
 *   OTEL_SERVICE_NAME        service.name on every span (read by the SDK's resource detector)
 *   OTEL_TRACES_EXPORTER     comma list of: otlp, console, collector, none
 *   TRACE_COLLECTOR_URL      where `collector` sends spans (the in-process collector of the demo)
 *   OTEL_TRACES_SAMPLER      always_on, always_off, traceidratio, parentbased_always_on (SDK default), …
 *   OTEL_TRACES_SAMPLER_ARG  the ratio (0..1) for the *traceidratio samplers
 *   OTEL_SDK_DISABLED=true   no tracing at all
 */
export type TraceExporterName = 'otlp' | 'console' | 'collector' | 'none';

export interface TelemetryConfig {
  /** Empty when tracing exports nowhere (`none`). */
  exporters: Exclude<TraceExporterName, 'none'>[];
  collectorUrl?: string;
  disabled: boolean;
}

export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

const exporterNames: readonly string[] = ['otlp', 'console', 'collector', 'none'];
const samplers = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const problems: string[] = [];
  const collectorUrl = env.TRACE_COLLECTOR_URL?.trim() || undefined;

  // Unset means "collector" when a collector is given, otherwise nothing. (The SDK's own default is `otlp`,
  // which would log export failures every few seconds for a service run alone without Jaeger.)
  const listed = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const requested = listed.length ? listed : [collectorUrl ? 'collector' : 'none'];
  for (const name of requested) {
    if (!exporterNames.includes(name)) {
      problems.push(
        `OTEL_TRACES_EXPORTER="${env.OTEL_TRACES_EXPORTER}": unknown exporter "${name}" (use ${exporterNames.join(', ')})`,
      );
    }
  }
  const exporters = requested.includes('none') ? [] : [...new Set(requested)];
  if (exporters.includes('collector')) {
    if (!collectorUrl) problems.push('TRACE_COLLECTOR_URL: required when OTEL_TRACES_EXPORTER includes "collector"');
    else if (!URL.canParse(collectorUrl)) problems.push(`TRACE_COLLECTOR_URL="${collectorUrl}": expected a URL`);
  }

  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  if (sampler && !samplers.includes(sampler)) {
    problems.push(`OTEL_TRACES_SAMPLER="${env.OTEL_TRACES_SAMPLER}": expected one of ${samplers.join(', ')}`);
  }
  const ratio = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (sampler?.endsWith('traceidratio') && ratio) {
    const value = Number(ratio);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      problems.push(`OTEL_TRACES_SAMPLER_ARG="${ratio}": expected a ratio between 0 and 1`);
    }
  }

  if (problems.length) throw new TelemetryConfigError(`Invalid telemetry configuration: ${problems.join('; ')}`);
  return {
    exporters: exporters as TelemetryConfig['exporters'],
    ...(collectorUrl ? { collectorUrl } : {}),
    disabled: env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true',
  };
}
