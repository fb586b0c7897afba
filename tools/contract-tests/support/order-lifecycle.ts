/**
 * Moves an order to a given stage through the order service's own commands (`app.orders`), each in a transaction
 * like the saga's hooks and the event consumer run them: the order's events, its read model and its outbox rows are
 * written by the real code. Consumer tests use it to put an order where an incoming event expects it; the order
 * provider uses it to produce the Order* events its consumers' pacts describe.
 */
import type { Database } from '@shop/db';
import type { OrderApp } from '@shop/order-service/testing';

export type OrderStage = 'PLACED' | 'PAID' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';

const metadata = { correlationId: 'contract-tests' };
const item = { sku: 'MUG', quantity: 2 };
const unitPrice = { amountMinor: 1250, currency: 'EUR' };
const total = { amountMinor: 2500, currency: 'EUR' };
const shippingAddress = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };

export async function advanceOrder(
  app: OrderApp,
  db: Database,
  order: { orderId: string; customerId: string; shipmentId?: string },
  stage: OrderStage,
): Promise<void> {
  const { orders } = app;
  const { orderId, customerId, shipmentId = `shipment-of-${orderId}` } = order;
  const reached = (stages: OrderStage[]) => stages.includes(stage);
  await db.transaction(async (tx) => {
    await orders.create(tx, { orderId, customerId, items: [item], shippingAddress }, metadata);
    await orders.price(tx, orderId, { lines: [{ ...item, unitPrice, lineTotal: total }], total }, metadata);
    if (stage === 'CANCELLED') return orders.cancel(tx, orderId, 'payment declined', metadata);
    if (reached(['PAID', 'CONFIRMED', 'SHIPPED', 'DELIVERED']))
      await orders.recordPayment(tx, orderId, 'payment-1', metadata);
    if (reached(['CONFIRMED', 'SHIPPED', 'DELIVERED'])) await orders.confirm(tx, orderId, shipmentId, metadata);
    const shipment = { shipmentId, carrier: 'PostNL', trackingNumber: 'RS0000000001' };
    if (reached(['SHIPPED', 'DELIVERED'])) await orders.markShipped(tx, orderId, shipment, metadata);
    if (stage === 'DELIVERED') await orders.markDelivered(tx, orderId, shipmentId, metadata);
  });
}
