/**
 * Answers "may this pod open a TCP connection to that one?" from NetworkPolicy objects, as a CNI enforces them
 * for pods of one namespace: the connection needs an egress rule on the caller's side and an ingress rule on the
 * callee's side, each from a policy that selects the pod and lists the direction in `policyTypes`.
 */
import type { KubeObject } from './synthesised';

type Labels = Readonly<Record<string, string>>;

interface Peer {
  readonly podSelector?: { readonly matchLabels?: Labels };
  readonly namespaceSelector?: unknown;
  readonly ipBlock?: { readonly cidr: string };
}

interface Rule {
  readonly ports?: ReadonlyArray<{ readonly port?: number; readonly protocol?: string }>;
  readonly to?: readonly Peer[];
  readonly from?: readonly Peer[];
}

function selects(selector: { readonly matchLabels?: Labels } | undefined, labels: Labels): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
}

/** A peer in this namespace, selected by labels (a namespaceSelector or ipBlock is somewhere else). */
function peerIsPod(peer: Peer, labels: Labels): boolean {
  return peer.namespaceSelector === undefined && peer.ipBlock === undefined && selects(peer.podSelector, labels);
}

function coversPort(rule: Rule, port: number): boolean {
  return !rule.ports || rule.ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && p.port === port);
}

function policiesFor(policies: readonly KubeObject[], direction: 'Ingress' | 'Egress', pod: Labels): KubeObject[] {
  return policies.filter(
    (policy) => (policy.spec.policyTypes as string[]).includes(direction) && selects(policy.spec.podSelector, pod),
  );
}

export function egressAllowed(policies: readonly KubeObject[], from: Labels, to: Labels, port: number): boolean {
  return policiesFor(policies, 'Egress', from).some((policy) =>
    ((policy.spec.egress ?? []) as Rule[]).some(
      (rule) => coversPort(rule, port) && (rule.to ?? []).some((peer) => peerIsPod(peer, to)),
    ),
  );
}

export function ingressAllowed(policies: readonly KubeObject[], from: Labels, to: Labels, port: number): boolean {
  return policiesFor(policies, 'Ingress', to).some((policy) =>
    ((policy.spec.ingress ?? []) as Rule[]).some(
      (rule) => coversPort(rule, port) && (rule.from ?? []).some((peer) => peerIsPod(peer, from)),
    ),
  );
}

export function connectionAllowed(policies: readonly KubeObject[], from: Labels, to: Labels, port: number): boolean {
  return egressAllowed(policies, from, to, port) && ingressAllowed(policies, from, to, port);
}

/** The egress rules of the policies selecting `from` that reach outside the namespace by address range. */
export function egressAddressRanges(
  policies: readonly KubeObject[],
  from: Labels,
): Array<{ cidr: string; port: number }> {
  return policiesFor(policies, 'Egress', from).flatMap((policy) =>
    ((policy.spec.egress ?? []) as Rule[]).flatMap((rule) =>
      (rule.to ?? []).flatMap((peer) =>
        peer.ipBlock ? (rule.ports ?? []).map((p) => ({ cidr: peer.ipBlock!.cidr, port: p.port! })) : [],
      ),
    ),
  );
}
