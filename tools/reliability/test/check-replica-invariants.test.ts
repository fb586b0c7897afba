/** The replicas' own invariants as a specification: given what the databases recorded, these promises hold or not. */
import type { Topology } from '@shop/contracts';
import { checkReplicaInvariants } from '../src/replicas/check-replica-invariants';
import type { ReplicaEvidence, StepAttempt } from '../src/replicas/replica-evidence';

const topology: Pick<Topology, 'consumers'> = {
  consumers: { order: { queue: 'order-service', subscribes: { shipping: ['ShipmentDispatched'] } } },
};

const attempt = (overrides: Partial<StepAttempt>): StepAttempt => ({
  sagaId: 's1',
  step: 'createShipment',
  action: 'invoke',
  attempt: 1,
  owner: 'host:100:aaaa',
  startedAt: 1_000,
  finishedAt: 1_500,
  leaseUntil: 7_000,
  ...overrides,
});

/** A crash drill as it should look: A's attempt cut off, B takes over once A's lease ended; one event, handled once. */
const handedOver = (): ReplicaEvidence => ({
  attempts: [
    attempt({ step: 'reserveInventory', finishedAt: 1_200 }),
    attempt({ startedAt: 1_300, finishedAt: null, leaseUntil: 7_300 }),
    attempt({ attempt: 2, owner: 'host:200:bbbb', startedAt: 7_400, finishedAt: 7_600, leaseUntil: 13_400 }),
  ],
  inbox: [{ consumer: 'order', eventId: 'e1' }],
  outbox: [
    { producer: 'shipping', eventId: 'e1', eventType: 'ShipmentDispatched', published: true },
    { producer: 'shipping', eventId: 'e2', eventType: 'ShipmentCreated', published: true }, // nobody subscribes
  ],
});

describe('replica invariants', () => {
  it('hold for a saga taken over after the cut-off attempt’s lease ended, and an event handled once', () => {
    const report = checkReplicaInvariants(handedOver(), topology);
    expect(report.violations).toEqual([]);
    const rows = Object.fromEntries(report.counts.flatMap((section) => section.rows));
    expect(rows).toMatchObject({
      'attempts by host:100:aaaa': 2,
      'attempts by host:200:bbbb': 1,
      'sagas whose steps ran on more than one process': 1,
      'attempts cut off by a crash (no outcome recorded)': 1,
      'order: published events it subscribes to, handled': '1/1',
    });
  });

  it('report an attempt on another process that starts while a cut-off attempt’s lease still runs', () => {
    const evidence = handedOver();
    evidence.attempts[2] = { ...evidence.attempts[2]!, startedAt: 7_000 };
    expect(checkReplicaInvariants(evidence, topology).violations).toEqual([
      'saga s1: invoke createShipment attempt 1 on host:100:aaaa overlaps invoke createShipment attempt 2 on host:200:bbbb',
    ]);
  });

  it('report overlapping finished attempts on two processes, but not back-to-back attempts on one', () => {
    const evidence: ReplicaEvidence = {
      ...handedOver(),
      attempts: [
        attempt({ startedAt: 1_000, finishedAt: 2_000 }),
        attempt({ attempt: 2, startedAt: 1_500, finishedAt: 1_800 }), // same process: not a replica overlap
        attempt({ attempt: 3, owner: 'host:200:bbbb', startedAt: 1_900, finishedAt: 2_100 }),
      ],
    };
    const { violations } = checkReplicaInvariants(evidence, topology);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain('attempt 1 on host:100:aaaa overlaps invoke createShipment attempt 3');
  });

  it('report an attempt that records no lease owner', () => {
    const evidence: ReplicaEvidence = { ...handedOver(), attempts: [attempt({ owner: null })] };
    expect(checkReplicaInvariants(evidence, topology).violations).toEqual([
      'saga s1: invoke createShipment attempt 1 records no lease owner',
    ]);
  });

  it('report an event recorded twice in one consumer’s inbox, and a published event a subscriber never handled', () => {
    const evidence: ReplicaEvidence = {
      ...handedOver(),
      inbox: [
        { consumer: 'order', eventId: 'e1' },
        { consumer: 'order', eventId: 'e1' },
      ],
      outbox: [
        ...handedOver().outbox,
        { producer: 'shipping', eventId: 'e3', eventType: 'ShipmentDispatched', published: true },
        { producer: 'shipping', eventId: 'e4', eventType: 'ShipmentDispatched', published: false }, // counted as pending
      ],
    };
    expect(checkReplicaInvariants(evidence, topology).violations).toEqual([
      'inbox order/e1 recorded 2 times',
      'order never handled ShipmentDispatched e3 (published by shipping)',
    ]);
  });

  it('name processes as the caller says (replica and pid)', () => {
    const report = checkReplicaInvariants(handedOver(), topology, (owner) => `order#${owner.split(':')[1]}`);
    expect(report.counts[0]!.rows.map(([label]) => label)).toContain('attempts by order#100');
  });
});
