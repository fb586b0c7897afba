/**
 * A service's configuration contract, read from its compiled `dist/config.js`: the TypeBox object schema built with
 * `serviceConfigSchema` from @shop/service-kit, whose properties are the environment variables the service reads.
 */
import { join } from 'node:path';

export interface ConfigSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, { readonly default?: unknown }>>;
  /** TypeBox lists every property not wrapped in `Type.Optional` here. */
  readonly required?: readonly string[];
}

function isConfigSchema(value: unknown): value is ConfigSchema {
  const candidate = value as Partial<ConfigSchema> | null;
  return typeof candidate === 'object' && candidate?.type === 'object' && typeof candidate.properties === 'object';
}

/** The one object schema `services/<name>/dist/config.js` exports (e.g. `OrderServiceConfig`). */
export function loadServiceConfigSchema(repoRoot: string, service: string): ConfigSchema {
  const file = join(repoRoot, 'services', service, 'dist', 'config.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path is only known at run time
  const exported = Object.values(require(file) as Record<string, unknown>).filter(isConfigSchema);
  if (exported.length !== 1) {
    throw new Error(`${file} should export exactly one config schema object, found ${exported.length}`);
  }
  return exported[0]!;
}

/** Variables the service cannot start without: not optional and no default. */
export function requiredVariables(schema: ConfigSchema): string[] {
  return (schema.required ?? []).filter((name) => !('default' in (schema.properties[name] ?? {})));
}

/**
 * Variables a service process reads that are not part of its config schema, because a library reads them itself.
 * Anything else compose sets and the schema does not know is a typo or a leftover.
 */
export const VARIABLES_READ_OUTSIDE_CONFIG: Readonly<Record<string, string>> = {
  NODE_ENV: 'loadConfig refuses the development JWT secret when it is "production"; libraries read it too',
  OTEL_SERVICE_NAME: '@shop/telemetry (standard OpenTelemetry variable)',
  OTEL_TRACES_EXPORTER: '@shop/telemetry (standard OpenTelemetry variable)',
  OTEL_EXPORTER_OTLP_ENDPOINT: '@shop/telemetry (standard OpenTelemetry variable)',
  AWS_ACCESS_KEY_ID: 'the AWS SDK credential chain',
  AWS_SECRET_ACCESS_KEY: 'the AWS SDK credential chain',
};
