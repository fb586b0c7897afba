/** The integration events a shipment's changes publish (schemas from @shop/contracts), one per state change. */
import { createEvent, type EventEnvelope, type EventMetadata } from '@shop/contracts';
import { ShipmentStatus, type Shipment } from './domain/shipment';

export interface EventContext {
  readonly metadata: EventMetadata;
  readonly now: Date;
}

/** The event announcing `shipment`'s current state; `version` is its aggregateVersion. */
export function shipmentEvent(shipment: Shipment, { metadata, now }: EventContext): EventEnvelope {
  const ref = { shipmentId: shipment.id, orderId: shipment.orderId };
  const common = { aggregateId: shipment.id, aggregateVersion: shipment.version, metadata };
  const clock = { now: () => now };
  switch (shipment.status) {
    case ShipmentStatus.CREATED:
      return createEvent({ ...common, eventType: 'ShipmentCreated', data: ref }, clock);
    case ShipmentStatus.DISPATCHED:
      return createEvent(
        {
          ...common,
          eventType: 'ShipmentDispatched',
          data: { ...ref, carrier: shipment.carrier!, trackingNumber: shipment.trackingNumber! },
        },
        clock,
      );
    case ShipmentStatus.DELIVERED:
      return createEvent({ ...common, eventType: 'ShipmentDelivered', data: ref }, clock);
    case ShipmentStatus.CANCELLED:
      return createEvent(
        { ...common, eventType: 'ShipmentCancelled', data: { ...ref, reason: shipment.cancellationReason ?? '' } },
        clock,
      );
  }
}
