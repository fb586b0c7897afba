/**
 * A service's environment, split by where each value may live: settings go into its ConfigMap, and whatever is
 * secret is a reference to a key of the operator's Secret, resolved by the kubelet and never written in a manifest.
 */
import { systemServices, type SystemService } from '@shop/contracts';
import { isDataService, serviceWorkloads } from './service-workloads';
import type { AwsCredentials, MessagingInput, ShopProps } from './shop-props';
import { DRAIN_SECONDS } from './shutdown-timing';

/** A variable taken from a key of the operator's Secret. */
export interface SecretVariable {
  readonly kind: 'secret';
  readonly key: string;
}

/** A literal in the pod spec; `$(NAME)` refers to a variable defined before it (how the password joins the URL). */
export interface ComposedVariable {
  readonly kind: 'composed';
  readonly value: string;
}

export interface ServiceEnvironment {
  readonly settings: Readonly<Record<string, string>>;
  /** In order: Kubernetes expands `$(NAME)` only from variables listed earlier. */
  readonly variables: ReadonlyArray<readonly [name: string, value: SecretVariable | ComposedVariable]>;
}

export const SECRET_KEYS = {
  jwtSecret: 'JWT_SECRET',
  databasePassword: 'DATABASE_PASSWORD',
  awsAccessKeyId: 'AWS_ACCESS_KEY_ID',
  awsSecretAccessKey: 'AWS_SECRET_ACCESS_KEY',
} as const;

/** Services reach each other through their Service, named after them, in the same namespace. */
function serviceUrl(service: SystemService): string {
  return `http://${service}:${systemServices[service].port}`;
}

export function serviceEnvironment(service: SystemService, props: ShopProps): ServiceEnvironment {
  const { port, calls } = systemServices[service];
  const workload = serviceWorkloads[service];
  const dataService = isDataService(service);
  const settings: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(port),
    LOG_LEVEL: 'info',
    SHUTDOWN_GRACE_MS: String(DRAIN_SECONDS * 1000),
    OTEL_SERVICE_NAME: workload.telemetryName,
    ...tracingSettings(props),
    ...Object.fromEntries(
      Object.entries(calls).map(([callee, variable]) => [variable, serviceUrl(callee as SystemService)]),
    ),
    ...(dataService ? messagingSettings(props.messaging) : {}),
    ...(service === 'gateway' && props.redis ? { REDIS_URL: props.redis.url } : {}),
    ...workload.environment,
  };
  const variables: [string, SecretVariable | ComposedVariable][] = [
    ['JWT_SECRET', { kind: 'secret', key: SECRET_KEYS.jwtSecret }],
  ];
  if (dataService) {
    const { host, port: postgresPort, user } = props.postgres;
    variables.push(['DATABASE_PASSWORD', { kind: 'secret', key: SECRET_KEYS.databasePassword }]);
    // One database per service, named after it, as infra/postgres/init creates them for compose.
    variables.push([
      'DATABASE_URL',
      { kind: 'composed', value: `postgres://${user}:$(DATABASE_PASSWORD)@${host}:${postgresPort}/${service}` },
    ]);
    variables.push(...awsKeyVariables(props.messaging.credentials));
  }
  return { settings, variables };
}

function tracingSettings({ tracing }: ShopProps): Record<string, string> {
  return tracing ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: tracing.url } : {};
}

export function messagingSettings(messaging: MessagingInput): Record<string, string> {
  return {
    AWS_REGION: messaging.region,
    ...(messaging.endpointUrl ? { AWS_ENDPOINT_URL: messaging.endpointUrl } : {}),
    // An emulator checks no signature; the SDK only needs some key to sign with. Not a secret: LocalStack's default.
    ...(messaging.credentials.source === 'emulator'
      ? { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }
      : {}),
  };
}

/** With IRSA the SDK finds the role and token the EKS webhook injects; keys would only shadow them. */
export function awsKeyVariables(credentials: AwsCredentials): [string, SecretVariable][] {
  if (credentials.source !== 'secret') return [];
  return [
    ['AWS_ACCESS_KEY_ID', { kind: 'secret', key: SECRET_KEYS.awsAccessKeyId }],
    ['AWS_SECRET_ACCESS_KEY', { kind: 'secret', key: SECRET_KEYS.awsSecretAccessKey }],
  ];
}
