/** The read model's order document follows the same changes as the write side's `evolve`, event by event. */
import { evolve, type Order, type OrderEvent } from '../src/domain/order';
import { orderDocumentPatch } from '../src/read-model/order-document';

const now = '2030-01-01T10:00:00.000Z';
const later = '2030-01-01T11:00:00.000Z';
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
const items = [{ sku: 'MUG', quantity: 2 }];
const lines = [{ sku: 'MUG', quantity: 2, unitPrice: eur(500), lineTotal: eur(1_000) }];

const created: OrderEvent = {
  type: 'OrderCreated',
  data: { orderId: 'o-1', customerId: 'c-1', items, shippingAddress: address, createdAt: now },
};
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
