/**
 * Zero trust on the network as well as in the JWT check: every pod of the namespace starts with nothing allowed
 * (default-deny), then each workload gets exactly its edges. REST edges come from @shop/contracts' systemServices,
 * dependencies (Postgres, SNS/SQS, Redis, tracing) from dependencies.ts. Both ends of an edge are opened: the
 * caller's egress and the callee's ingress, since default-deny closes both.
 */
import * as kplus from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { systemServices, type SystemService } from '@shop/contracts';
import { dependenciesOf, PROVISION, type Dependency } from './dependencies';
import { selectorLabels, workloadLabels } from './labels';
import { SERVICE_NAMES } from './service-workloads';
import type { NetworkPeer, ShopProps } from './shop-props';

const DNS_PORT = 53;

export interface SystemNetworkPoliciesProps {
  readonly shop: ShopProps;
}

export class SystemNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, { shop }: SystemNetworkPoliciesProps) {
    super(scope, id);
    const dependencies = dependenciesOf(shop);

    new kplus.NetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', labels: workloadLabels('default-deny') },
      selector: kplus.Pods.all(this, 'every-pod'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });

    // Every pod resolves names (Services, the managed endpoints) through the cluster DNS.
    const allowDns = new kplus.NetworkPolicy(this, 'allow-dns', {
      metadata: { name: 'allow-dns', labels: workloadLabels('allow-dns') },
      selector: kplus.Pods.all(this, 'every-pod-resolving'),
    });
    const clusterDns = kplus.Pods.select(this, 'cluster-dns', {
      labels: { 'k8s-app': 'kube-dns' },
      namespaces: kplus.Namespaces.select(this, 'kube-system', { names: ['kube-system'] }),
    });
    allowDns.addEgressRule(clusterDns, [kplus.NetworkPolicyPort.udp(DNS_PORT), kplus.NetworkPolicyPort.tcp(DNS_PORT)]);

    for (const service of SERVICE_NAMES) {
      const policy = this.workloadPolicy(service, dependencies);
      const { port, calls } = systemServices[service];
      for (const callee of Object.keys(calls) as SystemService[]) {
        policy.addEgressRule(this.pods(`${service}-calls-${callee}`, callee), [
          kplus.NetworkPolicyPort.tcp(systemServices[callee].port),
        ]);
      }
      for (const caller of callersOf(service)) {
        policy.addIngressRule(this.pods(`${caller}-calling-${service}`, caller), [kplus.NetworkPolicyPort.tcp(port)]);
      }
      if (service === 'gateway') {
        const controller = kplus.Namespaces.select(this, 'ingress-controller', {
          names: [shop.ingress.controllerNamespace],
        });
        policy.addIngressRule(controller, [kplus.NetworkPolicyPort.tcp(port)]);
      }
    }
    this.workloadPolicy(PROVISION, dependencies);

    // A dependency running in this namespace (the local profile's Postgres and LocalStack) is closed by
    // default-deny like everything else: it accepts its clients.
    for (const dependency of dependencies) {
      if (!('podLabels' in dependency.peer)) continue;
      const policy = new kplus.NetworkPolicy(this, `${dependency.name}-clients`, {
        metadata: { name: `${dependency.name}-clients`, labels: workloadLabels(dependency.name) },
        selector: kplus.Pods.select(this, `${dependency.name}-pods`, { labels: dependency.peer.podLabels }),
      });
      for (const client of dependency.clients) {
        policy.addIngressRule(this.pods(`${client}-using-${dependency.name}`, client), [
          kplus.NetworkPolicyPort.tcp(dependency.port),
        ]);
      }
    }
  }

  /** The policy of one workload's pods, with egress to the dependencies it is a client of. */
  private workloadPolicy(workload: string, dependencies: readonly Dependency[]): kplus.NetworkPolicy {
    const policy = new kplus.NetworkPolicy(this, workload, {
      metadata: { name: workload, labels: workloadLabels(workload) },
      selector: this.pods(workload, workload),
    });
    for (const dependency of dependencies.filter(({ clients }) => clients.includes(workload))) {
      policy.addEgressRule(this.peer(`${workload}-to-${dependency.name}`, dependency.peer), [
        kplus.NetworkPolicyPort.tcp(dependency.port),
      ]);
    }
    return policy;
  }

  private pods(id: string, workload: string): kplus.Pods {
    return kplus.Pods.select(this, `pods-${id}`, { labels: selectorLabels(workload) });
  }

  private peer(id: string, peer: NetworkPeer): kplus.INetworkPolicyPeer {
    if ('podLabels' in peer) return kplus.Pods.select(this, id, { labels: peer.podLabels });
    return peer.cidr.includes(':')
      ? kplus.NetworkPolicyIpBlock.ipv6(this, id, peer.cidr)
      : kplus.NetworkPolicyIpBlock.ipv4(this, id, peer.cidr);
  }
}

function callersOf(callee: SystemService): SystemService[] {
  return SERVICE_NAMES.filter((caller) => callee in systemServices[caller].calls);
}
