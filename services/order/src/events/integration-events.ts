/**
 * Which domain events other services hear about, and in what shape (@shop/contracts). The integration event keeps
 * the log event's id and version, so "the event" has one identity in the log, the outbox and every consumer's inbox.
 *
 *   OrderPriced    → OrderPlaced    (the order with inventory's prices and its total)
 *   OrderConfirmed → OrderConfirmed
 *   OrderCancelled → OrderCancelled (with the reason)
 *   OrderShipped   → OrderShipped
 *   OrderDelivered → OrderDelivered
 *   OrderCreated, OrderPaid: internal steps of the checkout, not published.
 */
import { createEvent, type EventEnvelope, type EventMetadata } from '@shop/contracts';
import type { PendingEvent } from '@shop/event-store';
import type { OrderEvent } from '../domain/order';

type Recorded = PendingEvent<OrderEvent['type']>;

function metadataOf(event: Recorded): EventMetadata {
  const { correlationId, causationId, traceparent } = event.metadata;
  return {
    correlationId: typeof correlationId === 'string' ? correlationId : event.streamId,
    ...(typeof causationId === 'string' ? { causationId } : {}),
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}

/** The integration events for `recorded` (appended to the order of `customerId`), ready for the outbox (`outboxInsert`). */
export function toIntegrationEvents(recorded: readonly Recorded[], customerId: string): EventEnvelope[] {
  const envelopes: EventEnvelope[] = [];
  for (const event of recorded) {
    const domain = { type: event.type, data: event.data } as OrderEvent;
    const ref = { orderId: event.streamId, customerId };
    const base = { aggregateId: event.streamId, aggregateVersion: event.version, metadata: metadataOf(event) };
    const options = { now: () => event.recordedAt };
    let envelope: EventEnvelope | undefined;
    switch (domain.type) {
      case 'OrderPriced':
        envelope = createEvent(
          {
            ...base,
            eventType: 'OrderPlaced',
            data: {
              ...ref,
              lines: domain.data.lines.map(({ sku, quantity, unitPrice }) => ({ sku, quantity, unitPrice })),
              total: domain.data.total,
            },
          },
          options,
        );
        break;
      case 'OrderConfirmed':
        envelope = createEvent({ ...base, eventType: 'OrderConfirmed', data: ref }, options);
        break;
      case 'OrderCancelled':
        envelope = createEvent(
          { ...base, eventType: 'OrderCancelled', data: { ...ref, reason: domain.data.reason } },
          options,
        );
        break;
      case 'OrderShipped': {
        const { shipmentId, trackingNumber } = domain.data;
        envelope = createEvent(
          { ...base, eventType: 'OrderShipped', data: { ...ref, shipmentId, trackingNumber } },
          options,
        );
        break;
      }
      case 'OrderDelivered':
        envelope = createEvent(
          { ...base, eventType: 'OrderDelivered', data: { ...ref, shipmentId: domain.data.shipmentId } },
          options,
        );
        break;
      default:
        break;
    }
    if (envelope) envelopes.push({ ...envelope, eventId: event.eventId });
  }
  return envelopes;
}
