/**
 * Configuration comes from environment variables only, validated once at start-up against a TypeBox schema.
 * A bad value stops the process with one line naming the variable, instead of failing later on first use.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Used only when JWT_SECRET is unset outside production, so `pnpm --filter … start` works on a fresh clone. */
export const DEV_JWT_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';

/** Variables every service understands; a service extends these with its own. */
export const baseConfigProperties = {
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers)' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000, description: 'Time allowed to drain on SIGTERM' }),
  JWT_SECRET: Type.String({
    minLength: 32,
    default: DEV_JWT_SECRET,
    description: 'HMAC key shared by the gateway and services to sign/verify tokens; set your own outside development',
  }),
  FAULT_INJECTION: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'Enables PUT /admin/faults (latency, errors, downtime) for demos and chaos tests',
  }),
};

/** Builds a service's config schema: base variables + a PORT with the service's default + its own variables. */
export function serviceConfigSchema<P extends TProperties>(defaultPort: number, properties: P) {
  return Type.Object({
    ...baseConfigProperties,
    PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: defaultPort }),
    ...properties,
  });
}

export function loadConfig<S extends TObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Static<S> {
  // Only the variables the schema names; empty strings count as unset so `PORT=` falls back to the default.
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  // Default and Convert mutate their input: work on a copy so error messages can quote what was given.
  const candidate = Value.Convert(schema, Value.Default(schema, { ...raw }));
  const problems = [...Value.Errors(schema, candidate)].map((error) => {
    const variable = error.path.replace(/^\//, '') || '(root)';
    const given = raw[variable];
    const allowed = (error.schema.anyOf as { const?: unknown }[] | undefined)?.map((option) => option.const);
    const expectation = allowed ? `expected one of ${allowed.join(', ')}` : error.message.toLowerCase();
    return given === undefined ? `${variable} ${expectation}` : `${variable}=${JSON.stringify(given)}: ${expectation}`;
  });
  if ((candidate as { JWT_SECRET?: string }).JWT_SECRET === DEV_JWT_SECRET && env.NODE_ENV === 'production') {
    problems.push('JWT_SECRET must be set in production (the development default is public)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return candidate as Static<S>;
}
