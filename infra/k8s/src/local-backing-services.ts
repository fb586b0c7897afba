/**
 * The local profile's stand-ins for the managed services, for a kind or minikube cluster: one Postgres with a
 * database per service and LocalStack for SNS/SQS, each a StatefulSet behind a Service of the name the services
 * connect to. The same images, at the same tags, as docker-compose.yml (the test compares them).
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { selectorLabels, workloadLabels } from './labels';
import { SECRET_KEYS } from './service-environment';
import { isDataService, SERVICE_NAMES } from './service-workloads';

export const POSTGRES_IMAGE = 'postgres:17.6-bookworm';
/** The last LocalStack tag that starts without an account (newer ones need LOCALSTACK_AUTH_TOKEN). */
export const LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';
export const POSTGRES_PORT = 5432;
export const LOCALSTACK_PORT = 4566;

/** The postgres image's own user (uid 999 in the Debian images): its entrypoint runs initdb as it. */
const POSTGRES_USER_ID = 999;

/** One database per service with data, as infra/postgres/init does for compose; quoted, since "user" and "order" are reserved. */
export function serviceDatabasesSql(): string {
  return SERVICE_NAMES.filter(isDataService)
    .map((service) => `CREATE DATABASE "${service}";`)
    .join('\n');
}

export interface LocalBackingServicesProps {
  readonly secretName: string;
}

export class LocalBackingServices extends Construct {
  constructor(scope: Construct, id: string, { secretName }: LocalBackingServicesProps) {
    super(scope, id);
    const secret = kplus.Secret.fromSecretName(this, 'secret', secretName);
    this.postgres(secret);
    this.localStack();
  }

  private postgres(secret: kplus.ISecret): void {
    const labels = workloadLabels('postgres');
    const service = headlessService(this, 'postgres', POSTGRES_PORT);
    const init = new kplus.ConfigMap(this, 'postgres-init', {
      metadata: { name: 'postgres-init', labels },
      data: { '01-create-service-databases.sql': `${serviceDatabasesSql()}\n` },
    });
    new kplus.StatefulSet(this, 'postgres', {
      metadata: { name: 'postgres', labels },
      service,
      replicas: 1,
      select: false,
      podMetadata: { labels },
      automountServiceAccountToken: false,
      securityContext: {
        ensureNonRoot: true,
        user: POSTGRES_USER_ID,
        group: POSTGRES_USER_ID,
        fsGroup: POSTGRES_USER_ID,
      },
      volumeClaimTemplates: [{ name: 'data', storage: Size.gibibytes(1) }],
      containers: [
        {
          name: 'postgres',
          image: POSTGRES_IMAGE,
          portNumber: POSTGRES_PORT,
          // The services' DATABASE_URL is built from the same key, so the two cannot disagree.
          envVariables: {
            POSTGRES_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: SECRET_KEYS.databasePassword }),
            // A subdirectory: a fresh volume's root holds lost+found, and initdb wants an empty directory.
            PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
          },
          readiness: kplus.Probe.fromCommand(['pg_isready', '-U', 'postgres'], { periodSeconds: Duration.seconds(3) }),
          resources: {
            cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(1000) },
            memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
          },
          // The entrypoint writes its socket and start-up state into the image's own directories.
          securityContext: {
            ensureNonRoot: true,
            user: POSTGRES_USER_ID,
            group: POSTGRES_USER_ID,
            readOnlyRootFilesystem: false,
          },
          volumeMounts: [
            { path: '/var/lib/postgresql/data', volume: kplus.Volume.fromName(this, 'data-volume', 'data') },
            {
              path: '/docker-entrypoint-initdb.d',
              volume: kplus.Volume.fromConfigMap(this, 'init-volume', init),
              readOnly: true,
            },
          ],
        },
      ],
    }).select(kplus.LabelSelector.of({ labels: selectorLabels('postgres') }));
  }

  private localStack(): void {
    const labels = workloadLabels('localstack');
    new kplus.StatefulSet(this, 'localstack', {
      metadata: { name: 'localstack', labels },
      service: headlessService(this, 'localstack', LOCALSTACK_PORT),
      replicas: 1,
      select: false,
      podMetadata: { labels },
      automountServiceAccountToken: false,
      // LocalStack's image runs as root and writes to its own filesystem; it exists only in the local profile.
      securityContext: { ensureNonRoot: false },
      containers: [
        {
          name: 'localstack',
          image: LOCALSTACK_IMAGE,
          portNumber: LOCALSTACK_PORT,
          envVariables: { SERVICES: kplus.EnvValue.fromValue('sns,sqs') },
          readiness: kplus.Probe.fromHttpGet('/_localstack/health', {
            port: LOCALSTACK_PORT,
            periodSeconds: Duration.seconds(3),
          }),
          resources: {
            cpu: { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(1000) },
            memory: { request: Size.mebibytes(384), limit: Size.mebibytes(1024) },
          },
          securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
        },
      ],
    }).select(kplus.LabelSelector.of({ labels: selectorLabels('localstack') }));
  }
}

/** A StatefulSet's governing Service, named as the services' URLs name the host. */
function headlessService(scope: Construct, name: string, port: number): kplus.Service {
  return new kplus.Service(scope, `${name}-service`, {
    metadata: { name, labels: workloadLabels(name) },
    clusterIP: 'None',
    selector: kplus.Pods.select(scope, `${name}-pods`, { labels: selectorLabels(name) }),
    ports: [{ name: name === 'postgres' ? 'postgres' : 'http', port, targetPort: port }],
  });
}
