/**
 * `pnpm provision` as a Job: creates the messaging topology of @shop/contracts (topics, queues, dead-letter queues,
 * filtered subscriptions) on the SNS/SQS endpoint, from the tools image, as compose's `provision` service does.
 * Idempotent, so running it again after an upgrade changes only what the topology changed.
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { PROVISION } from './dependencies';
import { imageReference } from './images';
import { workloadLabels } from './labels';
import { NON_ROOT_POD, RESTRICTED_CONTAINER, temporaryFilesMount } from './pod-security';
import { awsKeyVariables, messagingSettings } from './service-environment';
import { workloadServiceAccount } from './service-account';
import type { ShopProps } from './shop-props';

/** Where the tools image (`docker build --target tools`) has messaging's CLI. */
const PROVISION_COMMAND = ['node', 'node_modules/@shop/messaging/dist/cli/provision.js'];

export interface ProvisionJobProps {
  readonly shop: ShopProps;
}

export class ProvisionJob extends Construct {
  constructor(scope: Construct, id: string, { shop }: ProvisionJobProps) {
    super(scope, id);
    const labels = workloadLabels(PROVISION);
    const secret = kplus.Secret.fromSecretName(this, 'secret', shop.secretName);
    new kplus.Job(this, 'job', {
      metadata: { name: PROVISION, labels },
      podMetadata: { labels },
      // SNS/SQS may still be starting (the local profile's LocalStack): failed attempts are retried with backoff.
      backoffLimit: 6,
      activeDeadline: Duration.minutes(10),
      // A finished Job is removed after a day, so the next release's `kubectl apply` can create it again.
      ttlAfterFinished: Duration.days(1),
      serviceAccount: workloadServiceAccount(this, PROVISION, shop),
      automountServiceAccountToken: false,
      securityContext: NON_ROOT_POD,
      containers: [
        {
          name: PROVISION,
          image: imageReference(shop.images, 'tools'),
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          command: PROVISION_COMMAND,
          envVariables: {
            ...Object.fromEntries(
              Object.entries(messagingSettings(shop.messaging)).map(([name, value]) => [
                name,
                kplus.EnvValue.fromValue(value),
              ]),
            ),
            ...Object.fromEntries(
              awsKeyVariables(shop.messaging.credentials).map(([name, { key }]) => [
                name,
                kplus.EnvValue.fromSecretValue({ secret, key }),
              ]),
            ),
          },
          resources: {
            cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(500) },
            memory: { request: Size.mebibytes(96), limit: Size.mebibytes(256) },
          },
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [temporaryFilesMount(this)],
        },
      ],
    });
  }
}
