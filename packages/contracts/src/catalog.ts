// Every integration event type in the system, who produces it and the schema of its data — the single registry.
import type { Static } from '@sinclair/typebox';
import type { EventEnvelope } from './envelope';
import type { EventDefinition } from './event-definition';
import { inventoryEvents } from './events/inventory-events';
import { orderEvents } from './events/order-events';
import { paymentEvents } from './events/payment-events';
import { shippingEvents } from './events/shipping-events';
import { userEvents } from './events/user-events';

export const eventCatalog = {
  ...userEvents,
  ...orderEvents,
  ...inventoryEvents,
  ...paymentEvents,
  ...shippingEvents,
} satisfies Record<string, EventDefinition>;

export type EventCatalog = typeof eventCatalog;
export type EventType = keyof EventCatalog;
export type Producer = EventCatalog[EventType]['producer'];
export type EventData<K extends EventType> = Static<EventCatalog[K]['schema']>;
export type EventOf<K extends EventType> = EventEnvelope<K, EventData<K>>;
/** A discriminated union on `eventType`: narrowing on it types `data`. */
export type AnyEvent = { [K in EventType]: EventOf<K> }[EventType];
/** The event types one producer publishes, e.g. `EventTypeOf<'user'>` = 'UserRegistered' | 'UserUpdated'. */
export type EventTypeOf<P extends Producer> = {
  [K in EventType]: EventCatalog[K]['producer'] extends P ? K : never;
}[EventType];

export const eventTypes = Object.keys(eventCatalog) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(eventCatalog, value);
}
