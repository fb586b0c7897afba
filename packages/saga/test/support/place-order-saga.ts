// A saga shaped like the order service's: two compensatable reservations, the payment pivot, then retriable steps.
// Hooks append domain events in the saga's own transaction, as the order service does.
import type { Queryable } from '@shop/db';
import { defineSaga } from '../../src';
import { FakeParticipant, isBusinessFailure } from './fake-participant';

export interface OrderData {
  orderId: string;
  amount: number;
  reservationId?: string;
  pointsHoldId?: string;
  paymentId?: string;
  shipmentId?: string;
  confirmed?: boolean;
}

export function createParticipants() {
  return {
    reserveStock: new FakeParticipant('reserveStock'),
    releaseStock: new FakeParticipant('releaseStock'),
    holdPoints: new FakeParticipant('holdPoints'),
    releasePoints: new FakeParticipant('releasePoints'),
    charge: new FakeParticipant('charge'),
    ship: new FakeParticipant('ship'),
    confirm: new FakeParticipant('confirm'),
  };
}
export type Participants = ReturnType<typeof createParticipants>;

/** Which compensations ran, in order (shared by all participants of one test). */
export type CompensationLog = string[];

export const domainEventsTable = `CREATE TABLE domain_events (
  id serial PRIMARY KEY, order_id text NOT NULL, type text NOT NULL, detail text
)`;

async function appendEvent(tx: Queryable, orderId: string, type: string, detail: string | null = null): Promise<void> {
  await tx.query('INSERT INTO domain_events (order_id, type, detail) VALUES ($1, $2, $3)', [orderId, type, detail]);
}

export function placeOrderSaga(p: Participants, compensations: CompensationLog = []) {
  return defineSaga<OrderData>({
    name: 'place-order',
    isBusinessFailure,
    onCompleted: (tx, data) => appendEvent(tx, data.orderId, 'OrderConfirmed'),
    onCompensated: (tx, data, reason) => appendEvent(tx, data.orderId, 'OrderCancelled', reason),
    onNeedsAttention: (tx, data, reason) => appendEvent(tx, data.orderId, 'OrderNeedsAttention', reason),
  })
    .step({
      name: 'reserveInventory',
      kind: 'compensatable',
      invoke: async (_data, ctx) => ({ reservationId: await p.reserveStock.call(ctx) }),
      compensate: async (_data, ctx) => {
        await p.releaseStock.call(ctx);
        compensations.push('reserveInventory');
      },
    })
    .step({
      name: 'holdLoyaltyPoints',
      kind: 'compensatable',
      invoke: async (_data, ctx) => ({ pointsHoldId: await p.holdPoints.call(ctx) }),
      compensate: async (_data, ctx) => {
        await p.releasePoints.call(ctx);
        compensations.push('holdLoyaltyPoints');
      },
    })
    .step({
      name: 'processPayment',
      kind: 'pivot',
      invoke: async (_data, ctx) => ({ paymentId: await p.charge.call(ctx) }),
      onCompleted: (tx, data) => appendEvent(tx, data.orderId, 'PaymentRecorded', data.paymentId),
    })
    .step({
      name: 'createShipment',
      kind: 'retriable',
      invoke: async (_data, ctx) => ({ shipmentId: await p.ship.call(ctx) }),
    })
    .step({
      name: 'confirmOrder',
      kind: 'retriable',
      invoke: async (_data, ctx) => {
        await p.confirm.call(ctx);
        return { confirmed: true };
      },
    });
}
