/**
 * Configuration comes from environment variables only, validated once at start-up against a TypeBox schema.
 * A bad value stops the process with one line naming the variable, instead of failing later on first use.
 */
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DEV_JWT_SECRET, productionSecretProblem, SECRET_GENERATION_HINT } from './jwt-secret-policy';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Variables every service understands; a service extends these with its own. */
export const baseConfigProperties = {
  // A typo such as `NODE_ENV=prod` must not quietly run with development defaults: only these three are accepted.
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
    description: '`production` refuses published or weak secrets (see jwt-secret-policy.ts)',
  }),
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers)' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000, description: 'Time allowed to drain on SIGTERM' }),
  JWT_SECRET: Type.String({
    minLength: 32,
    default: DEV_JWT_SECRET,
    description: 'HMAC key shared by the gateway and services to sign/verify tokens; required in production',
  }),
  FAULT_INJECTION: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'Enables PUT /admin/faults (latency, errors, downtime) for demos and chaos tests',
  }),
};

/** An `http(s)://` URL with a default, e.g. where another service is reached. */
export function httpUrl(defaultUrl: string, description: string) {
  return Type.String({ pattern: '^https?://', default: defaultUrl, description });
}

/**
 * Where a service keeps its data (its own database, never shared): Postgres when `DATABASE_URL` is set, otherwise
 * embedded PGlite in `DATA_DIR`. `runService` opens it from these two variables.
 */
export function databaseConfig(service: string) {
  return {
    DATABASE_URL: Type.Optional(
      Type.String({ pattern: '^postgres(ql)?://', description: 'Use Postgres instead of PGlite' }),
    ),
    DATA_DIR: Type.String({
      default: `.data/${service}`,
      description: 'PGlite data directory (when DATABASE_URL is unset)',
    }),
  };
}

/** The SNS/SQS endpoint: the standard AWS SDK variables; real AWS when `AWS_ENDPOINT_URL` is unset. */
export const messagingConfig = {
  AWS_ENDPOINT_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'SNS/SQS endpoint (local-aws, LocalStack); AWS when unset' }),
  ),
  AWS_REGION: Type.String({ default: 'us-east-1', description: 'AWS region of the topics and queues' }),
};

/** Builds a service's config schema: base variables + a PORT with the service's default + its own variables. */
export function serviceConfigSchema<P extends TProperties>(defaultPort: number, properties: P) {
  return Type.Object({
    ...baseConfigProperties,
    PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: defaultPort }),
    ...properties,
  });
}

/**
 * A bad value quoted for the operator, except what must not reach a terminal or a log collector: secrets are
 * described, not shown, and a URL keeps its host but not its password.
 */
function quoted(variable: string, value: unknown): string {
  const text = String(value);
  if (/SECRET|PASSWORD|TOKEN|_KEY$/.test(variable)) return `(${text.length} characters, not shown)`;
  try {
    const url = new URL(text);
    if (url.password) {
      url.password = '***';
      return JSON.stringify(url.toString());
    }
  } catch {
    // not a URL
  }
  return JSON.stringify(text);
}

/** Rules that only production enforces: secrets must be the operator's own. */
function productionProblems(config: Record<string, unknown>, given: Record<string, unknown>): string[] {
  if (config.NODE_ENV !== 'production' || !('JWT_SECRET' in config)) return [];
  if (given.JWT_SECRET === undefined) return [`JWT_SECRET must be set in production; ${SECRET_GENERATION_HINT}`];
  const problem = productionSecretProblem(String(config.JWT_SECRET));
  return problem ? [`JWT_SECRET ${problem}; ${SECRET_GENERATION_HINT}`] : [];
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
    return given === undefined
      ? `${variable} ${expectation}`
      : `${variable}=${quoted(variable, given)}: ${expectation}`;
  });
  if (problems.length === 0) problems.push(...productionProblems(candidate as Record<string, unknown>, raw));
  if (problems.length > 0) throw new ConfigError(problems);
  return candidate as Static<S>;
}
