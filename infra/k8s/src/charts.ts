/** The charts a profile is made of; cdk8s writes each to a file of its own (`<chart id>.k8s.yaml`). */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GatewayIngress } from './gateway-ingress';
import { LocalBackingServices } from './local-backing-services';
import { SystemNetworkPolicies } from './network-policies';
import { ProvisionJob } from './provision-job';
import { ServiceWorkload } from './service-workload';
import { SERVICE_NAMES } from './service-workloads';
import type { ShopProps } from './shop-props';

export interface ShopChartProps {
  readonly shop: ShopProps;
}

/** The six services, the NetworkPolicies between them and the gateway's Ingress. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, { shop }: ShopChartProps) {
    // Object names are the services' own: other services and the docs address them by these names.
    super(scope, id, { namespace: shop.namespace, disableResourceNameHashes: true });
    const workloads = SERVICE_NAMES.map((service) => new ServiceWorkload(this, service, { service, shop }));
    new SystemNetworkPolicies(this, 'network-policies', { shop });
    const gateway = workloads[SERVICE_NAMES.indexOf('gateway')]!;
    new GatewayIngress(this, 'gateway-ingress', { gateway: gateway.service, ingress: shop.ingress });
  }
}

/** The topology provisioning Job: applied on its own, after the system, once per release. */
export class ProvisionChart extends Chart {
  constructor(scope: Construct, id: string, { shop }: ShopChartProps) {
    super(scope, id, { namespace: shop.namespace, disableResourceNameHashes: true });
    new ProvisionJob(this, 'provision', { shop });
  }
}

/** Postgres and LocalStack inside the cluster, for the local profile. */
export class LocalBackingServicesChart extends Chart {
  constructor(scope: Construct, id: string, { shop }: ShopChartProps) {
    super(scope, id, { namespace: shop.namespace, disableResourceNameHashes: true });
    new LocalBackingServices(this, 'backing-services', { secretName: shop.secretName });
  }
}
