/** The invariant checker as a specification: given a system state, these promises hold or are reported broken. */
import { checkInvariants } from '../src/invariants/check-invariants';
import type { SystemState } from '../src/invariants/system-state';

const settled = (): SystemState => ({
  initialStock: { MUG: 10 },
  products: [{ sku: 'MUG', stock: 7, reserved: 1 }],
  orders: [
    { id: 'o1', status: 'DELIVERED', items: [{ sku: 'MUG', quantity: 2 }] },
    { id: 'o2', status: 'CANCELLED', items: [{ sku: 'MUG', quantity: 5 }] },
    {
      id: 'o3',
      status: 'NEEDS_ATTENTION',
      attentionReason: 'release kept failing',
      items: [{ sku: 'MUG', quantity: 1 }],
    },
  ],
  reservations: [
    { orderId: 'o1', status: 'committed', tombstone: false, lines: [{ sku: 'MUG', quantity: 2 }] },
    { orderId: 'o2', status: 'released', tombstone: true, lines: [] },
    { orderId: 'o3', status: 'reserved', tombstone: false, lines: [{ sku: 'MUG', quantity: 1 }] },
  ],
  payments: [
    { orderId: 'o1', id: 'p1', status: 'captured' },
    { orderId: 'o2', id: 'p2', status: 'declined' },
  ],
  shipments: [
    { orderId: 'o1', id: 's1', status: 'DELIVERED', tombstone: false },
    { orderId: 'o2', id: 's2', status: 'CANCELLED', tombstone: true },
  ],
  queues: [
    { name: 'user-service', visible: 0, inFlight: 0, delayed: 0 },
    { name: 'user-service-dlq', visible: 1, inFlight: 0, delayed: 0 },
  ],
  outboxPending: { order: 0, payment: 0 },
});

describe('checkInvariants', () => {
  it('finds nothing wrong in a settled system', () => {
    expect(checkInvariants(settled()).violations).toEqual([]);
  });

  it.each<[string, (s: SystemState) => void, RegExp]>([
    ['an order still pending', (s) => void (s.orders[0]!.status = 'PENDING'), /o1 is still PENDING/],
    [
      'a parked order without a reason',
      (s) => void delete s.orders[2]!.attentionReason,
      /o3 is NEEDS_ATTENTION without a reason/,
    ],
    ['stock created from nothing', (s) => void (s.products[0]!.stock = 8), /MUG: initial 10/],
    [
      'a capture of a cancelled order not refunded',
      (s) => void (s.payments[1]!.status = 'captured'),
      /keeps captured payment p2/,
    ],
    [
      'a shipment for a cancelled order',
      (s) => void (s.shipments[1]!.status = 'CREATED'),
      /cancelled order o2 has shipment s2/,
    ],
    [
      'a second charge',
      (s) => void s.payments.push({ orderId: 'o1', id: 'p3', status: 'captured' }),
      /o1 was charged 2 times/,
    ],
    ['an unpublished outbox row', (s) => void (s.outboxPending.order = 2), /order: 2 outbox rows/],
    ['a message stuck outside a DLQ', (s) => void (s.queues[0]!.inFlight = 1), /user-service still holds 1/],
  ])('reports %s', (_case, breakIt, message) => {
    const state = settled();
    breakIt(state);
    expect(checkInvariants(state).violations).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  it('counts a DLQ depth without calling it a violation', () => {
    const report = checkInvariants(settled());
    expect(report.counts.flatMap((c) => c.rows)).toContainEqual(['DLQ depth: user-service-dlq', 1]);
  });
});
