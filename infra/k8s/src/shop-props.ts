/**
 * What a deployment of the system needs from its surroundings: where the images are, where Postgres and SNS/SQS
 * answer, how AWS credentials reach the pods and how traffic gets in. Both profiles (profiles.ts) are values of this.
 */

/** Who may be reached on an endpoint's port: an address range outside the cluster, or pods of this namespace. */
export type NetworkPeer = { readonly cidr: string } | { readonly podLabels: Readonly<Record<string, string>> };

/** A dependency the pods connect to; its NetworkPolicy port is read from the URL, so the two cannot disagree. */
export interface Endpoint {
  readonly url: string;
  readonly peer: NetworkPeer;
}

export interface ImageSource {
  /** Put before `resilient-shop/<image>`, e.g. `ghcr.io/acme`; empty for images loaded into the cluster (`kind load`). */
  readonly registry: string;
  /** One tag for every image of a release. Never `latest`: a rollout has to mean one known build. */
  readonly tag: string;
}

export interface PostgresInput {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly peer: NetworkPeer;
}

/** Who runs with SNS/SQS access: the services that publish or consume, and the provisioning job. */
export type AwsWorkload = 'user' | 'order' | 'inventory' | 'payment' | 'shipping' | 'provision';

/**
 * How the AWS SDK in a pod signs its requests.
 * - `secret`: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the operator's Secret.
 * - `irsa`: EKS IAM Roles for Service Accounts; each workload's ServiceAccount names its role and no key exists at all.
 * - `emulator`: LocalStack and local-aws accept any key, so a fixed dummy one is enough to sign.
 */
export type AwsCredentials =
  | { readonly source: 'secret' }
  | { readonly source: 'irsa'; readonly roleArns: Readonly<Partial<Record<AwsWorkload, string>>> }
  | { readonly source: 'emulator' };

export interface MessagingInput {
  readonly region: string;
  /** AWS_ENDPOINT_URL for LocalStack or local-aws; undefined for AWS itself (its regional HTTPS endpoints). */
  readonly endpointUrl?: string;
  readonly peer: NetworkPeer;
  readonly credentials: AwsCredentials;
}

export interface IngressInput {
  /** Host name the gateway answers on; undefined answers on any. */
  readonly host?: string;
  readonly className?: string;
  /** The ingress controller's namespace: its pods are the only ones allowed to reach the gateway. */
  readonly controllerNamespace: string;
}

export interface ShopProps {
  readonly namespace: string;
  readonly images: ImageSource;
  /**
   * The operator's Secret, never generated here (a value in a manifest would be a published secret): keys
   * JWT_SECRET and DATABASE_PASSWORD, plus AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY with `credentials: secret`.
   */
  readonly secretName: string;
  readonly postgres: PostgresInput;
  readonly messaging: MessagingInput;
  /** Shares the gateway's rate limits between its replicas; without it each replica counts on its own. */
  readonly redis?: Endpoint;
  /** OTLP/HTTP collector (Jaeger, an OpenTelemetry Collector); without it no traces are exported. */
  readonly tracing?: Endpoint;
  readonly ingress: IngressInput;
}
