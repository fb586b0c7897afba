// The invariants of every service's workload: probes on the service-kit health routes, no root and a read-only
// filesystem, resources, pinned images, the drain-matching grace period, secrets by reference, and the objects
// that keep it available (Service, PodDisruptionBudget, HorizontalPodAutoscaler).
import { systemServices } from '@shop/contracts';
import {
  assertPinnedTag,
  DRAIN_SECONDS,
  MIN_REPLICAS,
  PRE_STOP_SLEEP_SECONDS,
  SERVICE_NAMES,
  TERMINATION_GRACE_PERIOD_SECONDS,
} from '../src';
import { named, ofKind, PROFILES, type KubeObject } from './support/synthesised';

/** Every container of every pod template: Deployments, StatefulSets and the Job. */
function podTemplates(objects: readonly KubeObject[]): Array<[string, KubeObject['spec']]> {
  return objects
    .filter((object) => object.spec?.template?.spec?.containers)
    .map((object) => [`${object.kind} ${object.metadata.name}`, object.spec.template.spec]);
}

describe.each(PROFILES)('the %s profile', (_name, objects) => {
  const deployments = ofKind(objects, 'Deployment');

  it('runs one Deployment per service', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  describe.each(SERVICE_NAMES)('%s', (service) => {
    const pod = () => named(objects, 'Deployment', service).spec.template.spec;
    const container = () => pod().containers[0];
    const { port } = systemServices[service];

    it('is probed on /health/live (liveness, startup) and /health/ready (readiness) at its port', () => {
      expect(container().livenessProbe.httpGet).toMatchObject({ path: '/health/live', port });
      expect(container().startupProbe.httpGet).toMatchObject({ path: '/health/live', port });
      expect(container().readinessProbe.httpGet).toMatchObject({ path: '/health/ready', port });
    });

    it('runs as non-root with a read-only root filesystem, writing only to an emptyDir /tmp', () => {
      expect(pod().securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container().securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container().volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
      expect(pod().volumes).toEqual([{ name: 'tmp', emptyDir: expect.any(Object) }]);
      expect(pod().automountServiceAccountToken).toBe(false);
    });

    it('requests and limits CPU and memory', () => {
      expect(container().resources).toEqual({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
    });

    it('gives SIGTERM the pre-stop sleep, the drain (SHUTDOWN_GRACE_MS) and time to close before SIGKILL', () => {
      const config = named(objects, 'ConfigMap', service).data!;
      expect(Number(config.SHUTDOWN_GRACE_MS)).toBe(DRAIN_SECONDS * 1000);
      expect(container().lifecycle).toEqual({ preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } });
      expect(pod().terminationGracePeriodSeconds).toBe(TERMINATION_GRACE_PERIOD_SECONDS);
      expect(TERMINATION_GRACE_PERIOD_SECONDS).toBeGreaterThan(PRE_STOP_SLEEP_SECONDS + DRAIN_SECONDS);
    });

    it('takes its settings from its ConfigMap and JWT_SECRET from the Secret by reference', () => {
      expect(container().envFrom).toEqual([{ configMapRef: { name: service } }]);
      const jwtSecret = container().env.find((variable: { name: string }) => variable.name === 'JWT_SECRET');
      expect(jwtSecret).toEqual({
        name: 'JWT_SECRET',
        valueFrom: { secretKeyRef: { name: 'resilient-shop', key: 'JWT_SECRET' } },
      });
      expect(named(objects, 'ConfigMap', service).data).not.toHaveProperty('JWT_SECRET');
    });

    it('has a Service on its port, a PodDisruptionBudget and an autoscaler of at least two replicas', () => {
      const selector = { 'app.kubernetes.io/name': service };
      expect(named(objects, 'Deployment', service).spec.selector.matchLabels).toEqual(selector);
      expect(named(objects, 'Service', service).spec).toMatchObject({
        selector,
        ports: [{ name: 'http', port, targetPort: port }],
      });
      expect(named(objects, 'PodDisruptionBudget', service).spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: selector },
      });
      expect(named(objects, 'HorizontalPodAutoscaler', service).spec).toMatchObject({
        minReplicas: MIN_REPLICAS,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service },
      });
      expect(MIN_REPLICAS).toBe(2);
      // The autoscaler owns the count: a fixed one would be reset by every `kubectl apply`.
      expect(named(objects, 'Deployment', service).spec.replicas).toBeUndefined();
    });
  });

  it.each(podTemplates(objects))('%s names every image with a pinned tag', (_label, pod) => {
    for (const { image } of pod.containers as Array<{ image: string }>) {
      const tag = /:([^/:]+)$/.exec(image)?.[1];
      expect(tag).toBeDefined();
      expect(() => assertPinnedTag(tag!)).not.toThrow();
    }
  });

  it('generates no Secret: the operator creates it, so no manifest ever holds a secret value', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  it('routes the Ingress to the gateway', () => {
    expect(ofKind(objects, 'Ingress')).toHaveLength(1);
    expect(named(objects, 'Ingress', 'gateway').spec.rules[0].http.paths).toEqual([
      {
        path: '/',
        pathType: 'Prefix',
        backend: { service: { name: 'gateway', port: { number: systemServices.gateway.port } } },
      },
    ]);
  });

  it('provisions the topology with a Job on the tools image, as non-root on a read-only filesystem', () => {
    const job = named(objects, 'Job', 'provision').spec.template.spec;
    expect(job.restartPolicy).toBe('Never');
    expect(job.containers[0]).toMatchObject({
      image: expect.stringMatching(/resilient-shop\/tools:/),
      command: ['node', 'node_modules/@shop/messaging/dist/cli/provision.js'],
      securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
    });
  });
});

describe('image tags', () => {
  it.each(['latest', '', 'has space'])('refuses %j', (tag) => {
    expect(() => assertPinnedTag(tag)).toThrow();
  });
});
