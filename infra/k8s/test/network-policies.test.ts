// The NetworkPolicies open exactly the REST edges that docker-compose.yml's `*_URL` variables (and @shop/contracts'
// systemServices) declare, and the dependencies the messaging topology implies: add a call in compose without it
// here and this fails.
import { systemServices, systemTopology, type SystemService } from '@shop/contracts';
import { isDataService, SERVICE_NAMES } from '../src';
import { composePort, composeRestEdges, composeWorkspaceServices, type RestEdge } from './support/compose-edges';
import {
  connectionAllowed,
  egressAddressRanges,
  egressAllowed,
  ingressAllowed,
} from './support/network-policy-evaluator';
import { clusterObjects, ofKind, PROFILES } from './support/synthesised';

const pod = (name: string) => ({ 'app.kubernetes.io/name': name });
const sortEdges = (edges: RestEdge[]) =>
  [...edges].sort((a, b) => `${a.caller}>${a.callee}`.localeCompare(`${b.caller}>${b.callee}`));

describe('the service list', () => {
  it('is the one compose runs, on the same ports', () => {
    expect([...SERVICE_NAMES].sort()).toEqual(composeWorkspaceServices);
    for (const service of SERVICE_NAMES) expect(composePort(service)).toBe(systemServices[service].port);
  });

  it("declares the REST edges compose's *_URL variables open", () => {
    const declared = SERVICE_NAMES.flatMap((caller) =>
      (Object.keys(systemServices[caller].calls) as SystemService[]).map((callee) => ({
        caller,
        callee,
        port: systemServices[callee].port,
      })),
    );
    expect(sortEdges(declared)).toEqual(sortEdges(composeRestEdges()));
  });

  it('gives a database and SNS/SQS to the services of the messaging topology, as compose does', () => {
    const participants = new Set([...Object.keys(systemTopology.producers), ...Object.keys(systemTopology.consumers)]);
    for (const service of SERVICE_NAMES) expect(isDataService(service)).toBe(participants.has(service));
  });
});

describe.each(PROFILES)('the %s profile', (_name, objects) => {
  const policies = ofKind(objects, 'NetworkPolicy');

  it('denies everything by default, in both directions, for every pod of the namespace', () => {
    const defaultDeny = policies.find((policy) => policy.metadata.name === 'default-deny')!;
    expect(defaultDeny.spec).toEqual({ podSelector: {}, policyTypes: expect.arrayContaining(['Ingress', 'Egress']) });
  });

  it('allows exactly the REST edges compose declares between the services', () => {
    const allowed = SERVICE_NAMES.flatMap((caller) =>
      SERVICE_NAMES.filter((callee) => callee !== caller)
        .filter((callee) => connectionAllowed(policies, pod(caller), pod(callee), systemServices[callee].port))
        .map((callee) => ({ caller, callee, port: systemServices[callee].port })),
    );
    expect(sortEdges(allowed)).toEqual(sortEdges(composeRestEdges()));
  });

  it('opens no half edges: every egress between services has its ingress and the other way round', () => {
    for (const from of SERVICE_NAMES) {
      for (const to of SERVICE_NAMES) {
        const port = systemServices[to].port;
        expect([from, to, egressAllowed(policies, pod(from), pod(to), port)]).toEqual([
          from,
          to,
          ingressAllowed(policies, pod(from), pod(to), port),
        ]);
      }
    }
  });

  it('lets only the ingress controller reach the gateway from outside the services', () => {
    const gateway = policies.find((policy) => policy.metadata.name === 'gateway')!;
    const outside = gateway.spec.ingress.filter((rule: { from: Array<{ namespaceSelector?: unknown }> }) =>
      rule.from.some((peer) => peer.namespaceSelector),
    );
    expect(outside).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} },
        ],
        ports: [{ port: 3000, protocol: 'TCP' }],
      },
    ]);
  });

  it('lets every pod resolve names through the cluster DNS', () => {
    const dns = policies.find((policy) => policy.metadata.name === 'allow-dns')!;
    expect(dns.spec.podSelector).toEqual({});
    expect(dns.spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
  });
});

describe('the cluster profile, Postgres and SNS/SQS outside the cluster', () => {
  const policies = ofKind(clusterObjects({ K8S_POSTGRES_CIDR: '10.20.0.0/16' }), 'NetworkPolicy');

  it.each(SERVICE_NAMES.filter(isDataService))(
    '%s may reach Postgres and SNS/SQS, and nothing else outside',
    (service) => {
      expect(egressAddressRanges(policies, pod(service))).toEqual([
        { cidr: '10.20.0.0/16', port: 5432 },
        { cidr: '0.0.0.0/0', port: 443 },
      ]);
    },
  );

  it('keeps the gateway off Postgres and SNS/SQS: it has neither', () => {
    expect(egressAddressRanges(policies, pod('gateway'))).toEqual([]);
  });

  it('lets the provision job reach SNS/SQS only', () => {
    expect(egressAddressRanges(policies, pod('provision'))).toEqual([{ cidr: '0.0.0.0/0', port: 443 }]);
  });

  it('opens Redis for the gateway and the OTLP collector for every service when they are given', () => {
    const withExtras = ofKind(
      clusterObjects({
        K8S_REDIS_URL: 'redis://redis.example.internal:6380',
        K8S_REDIS_CIDR: '10.30.0.0/24',
        K8S_OTLP_ENDPOINT: 'http://otel.example.internal:4318',
        K8S_OTLP_CIDR: '10.40.0.0/24',
      }),
      'NetworkPolicy',
    );
    expect(egressAddressRanges(withExtras, pod('gateway'))).toEqual([
      { cidr: '10.30.0.0/24', port: 6380 },
      { cidr: '10.40.0.0/24', port: 4318 },
    ]);
    expect(egressAddressRanges(withExtras, pod('user'))).toContainEqual({ cidr: '10.40.0.0/24', port: 4318 });
    expect(egressAddressRanges(withExtras, pod('user'))).not.toContainEqual({ cidr: '10.30.0.0/24', port: 6380 });
  });
});

describe('the local profile, Postgres and LocalStack in the namespace', () => {
  const policies = ofKind(PROFILES[1]![1], 'NetworkPolicy');
  const clients = SERVICE_NAMES.filter(isDataService);

  it.each(SERVICE_NAMES)('%s reaches Postgres and LocalStack exactly when it has data', (service) => {
    const hasData = clients.includes(service);
    expect(connectionAllowed(policies, pod(service), pod('postgres'), 5432)).toBe(hasData);
    expect(connectionAllowed(policies, pod(service), pod('localstack'), 4566)).toBe(hasData);
  });

  it('lets the provision job reach LocalStack but not Postgres', () => {
    expect(connectionAllowed(policies, pod('provision'), pod('localstack'), 4566)).toBe(true);
    expect(connectionAllowed(policies, pod('provision'), pod('postgres'), 5432)).toBe(false);
  });
});
