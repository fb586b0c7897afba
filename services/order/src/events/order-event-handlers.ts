/**
 * What the order service does with the events it consumes (its queue's subscriptions are in
 * @shop/contracts' systemTopology): keep the customer replica, and record shipment progress on the Order.
 * Each handler runs in the consumer's transaction together with the inbox record.
 */
import type { EventEnvelope } from '@shop/contracts';
import type { EventMetadata } from '@shop/event-store';
import { UnrecoverableMessageError, type EventHandlers } from '@shop/messaging';
import { OrderRuleViolated } from '../domain/order';
import { applyCustomerSnapshot } from '../customers/customer-replica';
import { OrderNotFoundError, type Orders } from '../orders';

/** The consumed event caused what we append: keep its correlation, and name it as the cause. */
const causedBy = (event: EventEnvelope): EventMetadata => ({
  correlationId: event.metadata.correlationId,
  causationId: event.eventId,
  ...(event.metadata.traceparent ? { traceparent: event.metadata.traceparent } : {}),
});

/**
 * A shipment event the Order can never accept (unknown order, cancelled order) goes to the DLQ for a person;
 * OrderNotReadyError (the order is not confirmed yet) stays a transient failure, so the message comes back later.
 */
async function recordingShipment(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof OrderNotFoundError || error instanceof OrderRuleViolated) {
      throw new UnrecoverableMessageError(error.message);
    }
    throw error;
  }
}

export function orderEventHandlers(orders: Orders): EventHandlers {
  return {
    UserRegistered: (event, tx) => applyCustomerSnapshot(tx, event),
    UserUpdated: (event, tx) => applyCustomerSnapshot(tx, event),
    ShipmentDispatched: (event, tx) =>
      recordingShipment(() => {
        const { orderId, shipmentId, carrier, trackingNumber } = event.data;
        return orders.markShipped(tx, orderId, { shipmentId, carrier, trackingNumber }, causedBy(event));
      }),
    ShipmentDelivered: (event, tx) =>
      recordingShipment(() => orders.markDelivered(tx, event.data.orderId, event.data.shipmentId, causedBy(event))),
  };
}
