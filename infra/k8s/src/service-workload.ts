/**
 * One service in the cluster: its ServiceAccount, ConfigMap, Deployment, Service, PodDisruptionBudget and
 * HorizontalPodAutoscaler. Its environment comes from service-environment.ts, its port from @shop/contracts.
 */
import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { systemServices, type SystemService } from '@shop/contracts';
import { imageReference } from './images';
import { selectorLabels, workloadLabels } from './labels';
import { NON_ROOT_POD, RESTRICTED_CONTAINER, temporaryFilesMount } from './pod-security';
import { serviceEnvironment } from './service-environment';
import { serviceImageName, serviceWorkloads } from './service-workloads';
import { workloadServiceAccount } from './service-account';
import type { ShopProps } from './shop-props';
import { PRE_STOP_SLEEP_SECONDS, TERMINATION_GRACE_PERIOD_SECONDS } from './shutdown-timing';

/** Two replicas at least: a node drain or a rollout never leaves a service without a pod that answers. */
export const MIN_REPLICAS = 2;
const MAX_REPLICAS = 6;
const TARGET_CPU_UTILIZATION = 70;
/** The gateway serves /metrics on a port of its own, never on the public one (its config's METRICS_PORT). */
const GATEWAY_METRICS_PORT = 9464;

export interface ServiceWorkloadProps {
  readonly service: SystemService;
  readonly shop: ShopProps;
}

export class ServiceWorkload extends Construct {
  readonly deployment: kplus.Deployment;
  readonly service: kplus.Service;

  constructor(scope: Construct, id: string, { service, shop }: ServiceWorkloadProps) {
    super(scope, id);
    const { port } = systemServices[service];
    const { resources } = serviceWorkloads[service];
    const labels = workloadLabels(service);
    const pods = kplus.Pods.select(this, 'pods', { labels: selectorLabels(service) });
    const environment = serviceEnvironment(service, shop);
    const secret = kplus.Secret.fromSecretName(this, 'secret', shop.secretName);

    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: service, labels },
      data: environment.settings,
    });
    this.deployment = new kplus.Deployment(this, 'deployment', {
      metadata: { name: service, labels },
      // No `replicas`: the autoscaler owns the count, and a fixed one would reset it on every apply.
      select: false,
      podMetadata: {
        labels,
        // A changed ConfigMap does not restart pods by itself; a changed checksum rolls the Deployment.
        annotations: { 'resilient-shop/config-checksum': checksumOf(environment.settings) },
      },
      serviceAccount: workloadServiceAccount(this, service, shop),
      automountServiceAccountToken: false,
      securityContext: NON_ROOT_POD,
      terminationGracePeriod: Duration.seconds(TERMINATION_GRACE_PERIOD_SECONDS),
      containers: [
        {
          name: service,
          image: imageReference(shop.images, serviceImageName(service)),
          // The tag is pinned, so a node's copy is the right one; `kind load` images exist nowhere else.
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          ports: [
            { name: 'http', number: port },
            ...(service === 'gateway' ? [{ name: 'metrics', number: GATEWAY_METRICS_PORT }] : []),
          ],
          envFrom: [kplus.Env.fromConfigMap(config)],
          envVariables: Object.fromEntries(
            environment.variables.map(([name, variable]) => [
              name,
              variable.kind === 'secret'
                ? kplus.EnvValue.fromSecretValue({ secret, key: variable.key })
                : kplus.EnvValue.fromValue(variable.value),
            ]),
          ),
          // Listening comes after migrations: a first start on an empty database gets two and a half minutes.
          startup: kplus.Probe.fromHttpGet('/health/live', {
            port,
            periodSeconds: Duration.seconds(5),
            failureThreshold: 30,
          }),
          liveness: kplus.Probe.fromHttpGet('/health/live', { port, periodSeconds: Duration.seconds(10) }),
          // Ready only while its database (and what else the service checks) answers: no traffic before then.
          readiness: kplus.Probe.fromHttpGet('/health/ready', {
            port,
            periodSeconds: Duration.seconds(5),
            failureThreshold: 2,
          }),
          resources: {
            cpu: {
              request: kplus.Cpu.millis(resources.cpuRequestMillis),
              limit: kplus.Cpu.millis(resources.cpuLimitMillis),
            },
            memory: {
              request: Size.mebibytes(resources.memoryRequestMebibytes),
              limit: Size.mebibytes(resources.memoryLimitMebibytes),
            },
          },
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [temporaryFilesMount(this)],
        },
      ],
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selectorLabels(service) }));
    // cdk8s-plus has no sleep handler yet; the sleep action needs no shell or binary in the image (Kubernetes 1.30+).
    ApiObject.of(this.deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/lifecycle', {
        preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } },
      }),
    );

    this.service = new kplus.Service(this, 'service', {
      metadata: { name: service, labels },
      selector: pods,
      ports: [{ name: 'http', port, targetPort: port }],
    });

    // One pod may go at a time (drains, upgrades): with the autoscaler's minimum of two, one always answers.
    new kplus.k8s.KubePodDisruptionBudget(this, 'disruption-budget', {
      metadata: { name: service, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(service) } },
    });

    new kplus.HorizontalPodAutoscaler(this, 'autoscaler', {
      metadata: { name: service, labels },
      target: this.deployment,
      minReplicas: MIN_REPLICAS,
      maxReplicas: MAX_REPLICAS,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(TARGET_CPU_UTILIZATION))],
    });
  }
}

function checksumOf(settings: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 16);
}
