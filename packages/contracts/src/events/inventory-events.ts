// Events the inventory service publishes about stock reservations.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';

const ReservationRef = {
  reservationId: Type.String({ minLength: 1 }),
  orderId: Type.String({ minLength: 1 }),
};

const ReservedItem = Type.Object({
  sku: Type.String({ minLength: 1 }),
  quantity: Type.Integer({ minimum: 1 }),
});

export const inventoryEvents = {
  StockReserved: defineEvent('inventory', 1, Type.Object({ ...ReservationRef, items: Type.Array(ReservedItem) })),
  StockReleased: defineEvent(
    'inventory',
    1,
    Type.Object({ ...ReservationRef, items: Type.Array(ReservedItem), reason: Type.String() }),
  ),
};
