/**
 * The promises the system makes, checked against its state after a run. Pure: the same state always gives the same
 * verdict, so the checks are unit-tested on hand-made states and reused by every suite that drives the real system.
 */
import type { SystemState } from './system-state';

export interface InvariantReport {
  /** Named figures for the printed table (label → value). */
  counts: { section: string; rows: [label: string, value: string | number][] }[];
  /** One line per broken promise; empty when the system kept them all. */
  violations: string[];
}

const TERMINAL = new Set(['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED']);
const CONFIRMED_OR_LATER = new Set(['CONFIRMED', 'SHIPPED', 'DELIVERED']);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function checkInvariants(state: SystemState): InvariantReport {
  const violations: string[] = [];
  const reservationsByOrder = groupBy(state.reservations, (r) => r.orderId);
  const paymentsByOrder = groupBy(state.payments, (p) => p.orderId);
  const shipmentsByOrder = groupBy(state.shipments, (s) => s.orderId);

  // 1. Every order ended: terminal, or parked for an operator with the reason why.
  const byStatus = new Map<string, number>();
  for (const order of state.orders) {
    byStatus.set(order.status, (byStatus.get(order.status) ?? 0) + 1);
    if (order.status === 'NEEDS_ATTENTION') {
      if (!order.attentionReason) violations.push(`order ${order.id} is NEEDS_ATTENTION without a reason`);
    } else if (!TERMINAL.has(order.status)) violations.push(`order ${order.id} is still ${order.status}`);
  }

  // 2. Per order, the participants agree with the order's outcome.
  let capturesOfCancelled = 0;
  let refundsOfCancelled = 0;
  let liveShipmentsOfCancelled = 0;
  let cancelledShipmentsOfCancelled = 0;
  let capturesParked = 0;
  for (const order of state.orders) {
    const payments = paymentsByOrder.get(order.id) ?? [];
    const charged = payments.filter((p) => p.status === 'captured' || p.status === 'refunded');
    const shipments = shipmentsByOrder.get(order.id) ?? [];
    const reservation = reservationsByOrder.get(order.id)?.[0];
    if (charged.length > 1) violations.push(`order ${order.id} was charged ${charged.length} times`);
    if (CONFIRMED_OR_LATER.has(order.status)) {
      if (charged.length !== 1 || charged[0]!.status !== 'captured') {
        violations.push(
          `${order.status} order ${order.id} has no single captured payment (${payments.map((p) => p.status).join(', ') || 'none'})`,
        );
      }
      if (reservation?.status !== 'committed') {
        violations.push(
          `${order.status} order ${order.id} has reservation ${reservation?.status ?? 'none'}, expected committed`,
        );
      }
      if (shipments.filter((s) => s.status !== 'CANCELLED').length !== 1) {
        violations.push(
          `${order.status} order ${order.id} has ${shipments.length} shipments (${shipments.map((s) => s.status).join(', ')})`,
        );
      }
    }
    if (order.status === 'CANCELLED') {
      capturesOfCancelled += charged.length;
      refundsOfCancelled += charged.filter((p) => p.status === 'refunded').length;
      for (const payment of charged.filter((p) => p.status === 'captured')) {
        violations.push(`cancelled order ${order.id} keeps captured payment ${payment.id} (not refunded)`);
      }
      for (const shipment of shipments) {
        if (shipment.status === 'CANCELLED') cancelledShipmentsOfCancelled += 1;
        else {
          liveShipmentsOfCancelled += 1;
          violations.push(`cancelled order ${order.id} has shipment ${shipment.id} in ${shipment.status}`);
        }
      }
      if (reservation && reservation.status !== 'released') {
        violations.push(`cancelled order ${order.id} still has its reservation ${reservation.status}`);
      }
    }
    if (order.status === 'NEEDS_ATTENTION') capturesParked += charged.filter((p) => p.status === 'captured').length;
  }

  // 3. Stock is conserved: what was there is reservable, held, or sold (committed) — nothing created or lost.
  const stockRows: [string, string][] = [];
  for (const product of state.products) {
    const initial = state.initialStock[product.sku];
    if (initial === undefined) continue;
    const held = sumLines(
      state.reservations.filter((r) => r.status === 'reserved'),
      product.sku,
    );
    const sold = sumLines(
      state.reservations.filter((r) => r.status === 'committed'),
      product.sku,
    );
    const accounted = product.stock + product.reserved + sold;
    stockRows.push([
      product.sku,
      `${initial} = ${product.stock} available + ${product.reserved} reserved + ${sold} sold${accounted === initial ? '' : '  ✘'}`,
    ]);
    if (accounted !== initial)
      violations.push(`${product.sku}: initial ${initial} ≠ ${product.stock} + ${product.reserved} + ${sold} sold`);
    if (held !== product.reserved)
      violations.push(`${product.sku}: reserved ${product.reserved} ≠ ${held} held by open reservations`);
    if (product.stock < 0) violations.push(`${product.sku}: negative stock ${product.stock}`);
  }

  // 4. Messaging drained: every outbox row published, nothing left in a queue except parked in a DLQ.
  for (const [service, pending] of Object.entries(state.outboxPending)) {
    if (pending > 0) violations.push(`${service}: ${pending} outbox rows never published`);
  }
  const dlqs = state.queues.filter((q) => q.name.endsWith('-dlq'));
  const queues = state.queues.filter((q) => !q.name.endsWith('-dlq'));
  for (const queue of queues) {
    const left = queue.visible + queue.inFlight + queue.delayed;
    if (left > 0) violations.push(`queue ${queue.name} still holds ${left} messages`);
  }

  return {
    counts: [
      { section: 'orders by status', rows: [...byStatus.entries()].sort().map(([status, n]) => [status, n]) },
      { section: 'stock per sku (initial = available + reserved + sold)', rows: stockRows },
      {
        section: 'money and shipments',
        rows: [
          ['captures of cancelled orders', capturesOfCancelled],
          ['  … refunded', refundsOfCancelled],
          ['captures of parked (NEEDS_ATTENTION) orders', capturesParked],
          ['payments declined', state.payments.filter((p) => p.status === 'declined').length],
          ['shipments of cancelled orders (live)', liveShipmentsOfCancelled],
          ['shipments of cancelled orders (cancelled/tombstone)', cancelledShipmentsOfCancelled],
        ],
      },
      {
        section: 'messaging',
        rows: [
          ...Object.entries(state.outboxPending).map(([service, n]): [string, number] => [
            `outbox pending: ${service}`,
            n,
          ]),
          ...dlqs.map((q): [string, number] => [`DLQ depth: ${q.name}`, q.visible + q.inFlight + q.delayed]),
          ['messages in flight outside DLQs', queues.reduce((sum, q) => sum + q.visible + q.inFlight + q.delayed, 0)],
        ],
      },
    ],
    violations,
  };
}

function sumLines(reservations: SystemState['reservations'], sku: string): number {
  return reservations.reduce(
    (sum, r) => sum + r.lines.filter((l) => l.sku === sku).reduce((s, l) => s + l.quantity, 0),
    0,
  );
}
