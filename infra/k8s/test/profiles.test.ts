// What each profile adds or leaves out: the local one brings Postgres and LocalStack (the same images as compose),
// the cluster one expects them outside; credentials reach the pods by Secret reference or IRSA, never by value.
import {
  IRSA_ROLE_ANNOTATION,
  LOCALSTACK_IMAGE,
  POSTGRES_IMAGE,
  SERVICE_NAMES,
  isDataService,
  serviceDatabasesSql,
} from '../src';
import { composeServices } from './support/compose-edges';
import { clusterObjects, localObjects, named, ofKind, type KubeObject } from './support/synthesised';

type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
const containerOf = (objects: KubeObject[], kind: string, name: string) =>
  named(objects, kind, name).spec.template.spec.containers[0] as { image: string; env?: EnvVar[] };
const variable = (env: EnvVar[] | undefined, name: string) => env?.find((entry) => entry.name === name);

describe('the local profile', () => {
  const objects = localObjects();

  it('runs Postgres and LocalStack as StatefulSets with Services, on the images compose runs', () => {
    expect(
      ofKind(objects, 'StatefulSet')
        .map((set) => set.metadata.name)
        .sort(),
    ).toEqual(['localstack', 'postgres']);
    expect(named(objects, 'Service', 'postgres').spec.ports[0].port).toBe(5432);
    expect(named(objects, 'Service', 'localstack').spec.ports[0].port).toBe(4566);
    expect(containerOf(objects, 'StatefulSet', 'postgres').image).toBe(composeServices.postgres!.image);
    expect(containerOf(objects, 'StatefulSet', 'localstack').image).toBe(composeServices.localstack!.image);
    expect([POSTGRES_IMAGE, LOCALSTACK_IMAGE]).toEqual([
      composeServices.postgres!.image,
      composeServices.localstack!.image,
    ]);
  });

  it('creates a database per service with data, and gives Postgres the password the services use', () => {
    expect(named(objects, 'ConfigMap', 'postgres-init').data).toEqual({
      '01-create-service-databases.sql': `${serviceDatabasesSql()}\n`,
    });
    for (const service of SERVICE_NAMES.filter(isDataService)) expect(serviceDatabasesSql()).toContain(`"${service}"`);
    expect(variable(containerOf(objects, 'StatefulSet', 'postgres').env, 'POSTGRES_PASSWORD')).toEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'resilient-shop', key: 'DATABASE_PASSWORD' } },
    });
  });

  it('points the services at LocalStack with dummy keys, which it accepts', () => {
    expect(named(objects, 'ConfigMap', 'order').data).toMatchObject({
      AWS_ENDPOINT_URL: 'http://localstack:4566',
      AWS_ACCESS_KEY_ID: 'test',
    });
  });
});

describe('the cluster profile', () => {
  const objects = clusterObjects();

  it('has no Postgres or LocalStack of its own', () => {
    expect(ofKind(objects, 'StatefulSet')).toEqual([]);
    expect(objects.map((object) => object.metadata.name)).not.toEqual(expect.arrayContaining(['postgres']));
  });

  it.each(SERVICE_NAMES.filter(isDataService))(
    '%s builds DATABASE_URL from the Secret password and its own database',
    (service) => {
      const env = containerOf(objects, 'Deployment', service).env!;
      const names = env.map((entry) => entry.name);
      // Kubernetes expands $(DATABASE_PASSWORD) only from a variable listed before the one using it.
      expect(names.indexOf('DATABASE_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'));
      expect(variable(env, 'DATABASE_URL')!.value).toBe(
        `postgres://postgres:$(DATABASE_PASSWORD)@postgres.example.internal:5432/${service}`,
      );
      expect(variable(env, 'AWS_SECRET_ACCESS_KEY')!.valueFrom!.secretKeyRef!.key).toBe('AWS_SECRET_ACCESS_KEY');
      expect(named(objects, 'ConfigMap', service).data).not.toHaveProperty('AWS_ENDPOINT_URL');
    },
  );

  it('takes the image registry and tag from one place', () => {
    const tagged = clusterObjects({ K8S_IMAGE_REGISTRY: 'ghcr.io/acme', K8S_IMAGE_TAG: '1.4.2' });
    expect(containerOf(tagged, 'Deployment', 'order').image).toBe('ghcr.io/acme/resilient-shop/order-service:1.4.2');
    expect(containerOf(tagged, 'Job', 'provision').image).toBe('ghcr.io/acme/resilient-shop/tools:1.4.2');
    expect(() => clusterObjects({ K8S_IMAGE_TAG: 'latest' })).toThrow(/not pinned/);
  });

  describe('with IRSA (K8S_IRSA_ROLE_ARN_PREFIX) on EKS', () => {
    const irsa = clusterObjects({ K8S_IRSA_ROLE_ARN_PREFIX: 'arn:aws:iam::123456789012:role/shop-' });

    it.each([...SERVICE_NAMES.filter(isDataService), 'provision'])(
      "%s's ServiceAccount names its own role, and its pods carry no access key",
      (workload) => {
        expect(named(irsa, 'ServiceAccount', workload).metadata.annotations).toEqual({
          [IRSA_ROLE_ANNOTATION]: `arn:aws:iam::123456789012:role/shop-${workload}`,
        });
        const kind = workload === 'provision' ? 'Job' : 'Deployment';
        const env = containerOf(irsa, kind, workload).env ?? [];
        expect(env.map((entry) => entry.name)).not.toContain('AWS_ACCESS_KEY_ID');
      },
    );

    it('gives the gateway, which uses no AWS service, no role', () => {
      expect(named(irsa, 'ServiceAccount', 'gateway').metadata.annotations).toBeUndefined();
    });
  });
});
