// Events the shipping service publishes as a shipment moves from created to delivered (or cancelled).
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-definition';

const ShipmentRef = {
  shipmentId: Type.String({ minLength: 1 }),
  orderId: Type.String({ minLength: 1 }),
};

export const shippingEvents = {
  ShipmentCreated: defineEvent('shipping', 1, Type.Object({ ...ShipmentRef })),
  ShipmentDispatched: defineEvent(
    'shipping',
    1,
    Type.Object({ ...ShipmentRef, carrier: Type.String({ minLength: 1 }), trackingNumber: Type.String() }),
  ),
  ShipmentDelivered: defineEvent('shipping', 1, Type.Object({ ...ShipmentRef })),
  ShipmentCancelled: defineEvent('shipping', 1, Type.Object({ ...ShipmentRef, reason: Type.String() })),
};
