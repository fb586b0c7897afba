// Events the order service publishes. Each names the customer, so consumers can build per-customer views.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';
import { Money } from '../money';

const OrderRef = {
  orderId: Type.String({ minLength: 1 }),
  customerId: Type.String({ minLength: 1 }),
};

const OrderLine = Type.Object({
  sku: Type.String({ minLength: 1 }),
  quantity: Type.Integer({ minimum: 1 }),
  unitPrice: Money,
});

export const orderEvents = {
  OrderPlaced: defineEvent(
    'order',
    1,
    Type.Object({ ...OrderRef, lines: Type.Array(OrderLine, { minItems: 1 }), total: Money }),
  ),
  OrderConfirmed: defineEvent('order', 1, Type.Object({ ...OrderRef })),
  OrderCancelled: defineEvent('order', 1, Type.Object({ ...OrderRef, reason: Type.String() })),
  OrderShipped: defineEvent(
    'order',
    1,
    Type.Object({ ...OrderRef, shipmentId: Type.String({ minLength: 1 }), trackingNumber: Type.String() }),
  ),
  OrderDelivered: defineEvent('order', 1, Type.Object({ ...OrderRef, shipmentId: Type.String({ minLength: 1 }) })),
};
