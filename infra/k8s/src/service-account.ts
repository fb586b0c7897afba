/**
 * A ServiceAccount per workload, so that on EKS each one can hold its own IAM role (IRSA): the order service may
 * use the order queue and topic, not the user service's. No workload talks to the Kubernetes API: no token mounted.
 */
import * as kplus from 'cdk8s-plus-34';
import type { Construct } from 'constructs';
import { workloadLabels } from './labels';
import type { AwsWorkload, ShopProps } from './shop-props';

/** The annotation the EKS pod identity webhook reads to inject the role's web identity token. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

export function workloadServiceAccount(scope: Construct, name: string, shop: ShopProps): kplus.ServiceAccount {
  const { credentials } = shop.messaging;
  const roleArn = credentials.source === 'irsa' ? credentials.roleArns[name as AwsWorkload] : undefined;
  return new kplus.ServiceAccount(scope, 'service-account', {
    metadata: {
      name,
      labels: workloadLabels(name),
      ...(roleArn ? { annotations: { [IRSA_ROLE_ANNOTATION]: roleArn } } : {}),
    },
    automountToken: false,
  });
}
