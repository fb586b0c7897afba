/**
 * The cluster profile's inputs from `K8S_*` environment variables, so `pnpm k8s:synth` writes manifests for your
 * cluster without editing code. Every default synthesises valid manifests; the ones marked "yours" must be replaced
 * before applying them anywhere real (the README has the table).
 */
import { DEFAULT_NAMESPACE, DEFAULT_SECRET_NAME } from './profiles';
import type { AwsCredentials, AwsWorkload, Endpoint, ShopProps } from './shop-props';

const AWS_WORKLOADS: readonly AwsWorkload[] = ['user', 'order', 'inventory', 'payment', 'shipping', 'provision'];

type Environment = Readonly<Record<string, string | undefined>>;

export function clusterShopFromEnvironment(env: Environment, defaultTag: string): ShopProps {
  const read = (name: string, fallback: string): string => env[name] || fallback;
  return {
    namespace: read('K8S_NAMESPACE', DEFAULT_NAMESPACE),
    images: { registry: read('K8S_IMAGE_REGISTRY', ''), tag: read('K8S_IMAGE_TAG', defaultTag) },
    secretName: read('K8S_SECRET_NAME', DEFAULT_SECRET_NAME),
    postgres: {
      host: read('K8S_POSTGRES_HOST', 'postgres.example.internal'),
      port: Number(read('K8S_POSTGRES_PORT', '5432')),
      user: read('K8S_POSTGRES_USER', 'postgres'),
      peer: { cidr: read('K8S_POSTGRES_CIDR', '10.0.0.0/8') },
    },
    messaging: {
      region: read('K8S_AWS_REGION', 'us-east-1'),
      ...(env.K8S_AWS_ENDPOINT_URL ? { endpointUrl: env.K8S_AWS_ENDPOINT_URL } : {}),
      // AWS's public endpoints have no fixed address range; VPC endpoints for SNS and SQS narrow this to a subnet.
      peer: { cidr: read('K8S_AWS_CIDR', '0.0.0.0/0') },
      credentials: awsCredentials(env.K8S_IRSA_ROLE_ARN_PREFIX),
    },
    ...optionalEndpoint('redis', env.K8S_REDIS_URL, env.K8S_REDIS_CIDR),
    ...optionalEndpoint('tracing', env.K8S_OTLP_ENDPOINT, env.K8S_OTLP_CIDR),
    ingress: {
      ...(env.K8S_INGRESS_HOST ? { host: env.K8S_INGRESS_HOST } : {}),
      className: read('K8S_INGRESS_CLASS', 'nginx'),
      controllerNamespace: read('K8S_INGRESS_CONTROLLER_NAMESPACE', 'ingress-nginx'),
    },
  };
}

/** One IAM role per workload, `<prefix><workload>` (e.g. `arn:aws:iam::123456789012:role/resilient-shop-order`). */
function awsCredentials(roleArnPrefix: string | undefined): AwsCredentials {
  if (!roleArnPrefix) return { source: 'secret' };
  return {
    source: 'irsa',
    roleArns: Object.fromEntries(AWS_WORKLOADS.map((workload) => [workload, `${roleArnPrefix}${workload}`])),
  };
}

function optionalEndpoint(
  name: 'redis' | 'tracing',
  url: string | undefined,
  cidr: string | undefined,
): Partial<Record<'redis' | 'tracing', Endpoint>> {
  if (!url) return {};
  if (!cidr) throw new Error(`${name}: the URL needs the address range the NetworkPolicy opens for it (its _CIDR)`);
  return { [name]: { url, peer: { cidr } } };
}
