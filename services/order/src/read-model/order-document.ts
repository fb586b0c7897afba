/**
 * The order as the read model keeps it: a JSON document per order, changed by each event with a JSON merge patch of
 * the fields that event sets — the same changes `evolve` makes on the write side (test/order-document.test.ts holds
 * the two together), applied by the database (`document || patch`) so the projection needs no read before its write.
 */
import { evolve, type Order, type OrderEvent } from '../domain/order';

export function orderDocumentPatch(event: OrderEvent): Partial<Order> {
  switch (event.type) {
    case 'OrderCreated':
      return evolve({ status: 'NONE' }, event) as Order;
    case 'OrderPriced':
      return { lines: event.data.lines, total: event.data.total, updatedAt: event.data.pricedAt };
    case 'OrderPaid':
      return { paymentId: event.data.paymentId, updatedAt: event.data.paidAt };
    case 'OrderConfirmed':
      return { status: 'CONFIRMED', shipmentId: event.data.shipmentId, updatedAt: event.data.confirmedAt };
    case 'OrderCancelled':
      return { status: 'CANCELLED', cancellationReason: event.data.reason, updatedAt: event.data.cancelledAt };
    case 'OrderShipped': {
      const { shipmentId, carrier, trackingNumber, shippedAt } = event.data;
      return { status: 'SHIPPED', shipmentId, carrier, trackingNumber, updatedAt: shippedAt };
    }
    case 'OrderDelivered':
      return { status: 'DELIVERED', updatedAt: event.data.deliveredAt };
  }
}
