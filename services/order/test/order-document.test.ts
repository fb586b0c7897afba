/** The read model's order document follows the same changes as the write side's `evolve`, event by event. */
import { evolve, type Order, type OrderEvent } from '../src/domain/order';
import { orderDocumentPatch } from '../src/read-model/order-document';
import { created, eur, lines } from './support/order-fixtures';

const later = '2030-01-01T11:00:00.000Z';

/** Every event after the creation, each at a time of its own so a missed `updatedAt` shows. */
const following: OrderEvent[] = [
  { type: 'OrderPriced', data: { lines, total: eur(1_000), pricedAt: later } },
  { type: 'OrderPaid', data: { paymentId: 'p-1', paidAt: later } },
  { type: 'OrderConfirmed', data: { shipmentId: 's-1', confirmedAt: later } },
  { type: 'OrderCancelled', data: { reason: 'declined', cancelledAt: later } },
  {
    type: 'OrderShipped',
    data: { shipmentId: 's-2', carrier: 'Parcel', trackingNumber: 'RS1', shippedAt: later },
  },
  { type: 'OrderDelivered', data: { shipmentId: 's-2', deliveredAt: later } },
];

/** What `document || patch` does in the database: a shallow JSON merge, values replaced whole. */
const merged = (document: Order, patch: Partial<Order>): Order => JSON.parse(JSON.stringify({ ...document, ...patch }));

it('creates the document evolve creates', () => {
  expect(orderDocumentPatch(created)).toEqual(evolve({ status: 'NONE' }, created));
});

it.each(following.map((event) => [event.type, event] as const))('merges %s as evolve applies it', (_type, event) => {
  const before = evolve({ status: 'NONE' }, created) as Order;
  expect(merged(before, orderDocumentPatch(event))).toEqual(evolve(before, event));
});
