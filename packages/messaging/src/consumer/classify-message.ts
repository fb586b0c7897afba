/**
 * The consumer's first decision, pure: can this message ever be handled? Not JSON, an invalid envelope, an unknown
 * event type or no handler for it means no — retrying cannot change that, so it goes to the DLQ with the reason.
 * Otherwise the answer carries the event and its handler, ready to run.
 */
import { validateEvent, type AnyEvent, type EventOf, type EventType } from '@shop/contracts';
import type { Queryable } from '@shop/db';
import { decodeMessageBody } from './message-body';

export type EventHandler<K extends EventType> = (event: EventOf<K>, tx: Queryable) => Promise<void>;
export type EventHandlers = { readonly [K in EventType]?: EventHandler<K> };

export type Classification =
  | {
      readonly action: 'handle';
      readonly event: AnyEvent;
      /** The event's handler, bound to the event. */
      readonly handle: (tx: Queryable) => Promise<void>;
    }
  | {
      readonly action: 'dead-letter';
      /** Machine-readable: `unparseable-body`, `no-handler`, or the validator's reason (`invalid-envelope`, …). */
      readonly reason: string;
      readonly errors: readonly string[];
      /** Present when the message was a valid event (it only lacked a handler). */
      readonly event?: AnyEvent;
    };

export function classifyMessage(body: string | undefined, handlers: EventHandlers, consumer: string): Classification {
  const decoded = decodeMessageBody(body);
  if (!decoded.ok) return { action: 'dead-letter', reason: 'unparseable-body', errors: [decoded.error] };
  const validation = validateEvent(decoded.value);
  if (!validation.ok) return { action: 'dead-letter', reason: validation.reason, errors: validation.errors };
  const { event } = validation;
  const handle = bindHandler(handlers, event);
  if (!handle) {
    const errors = [`consumer "${consumer}" has no handler for ${event.eventType}`];
    return { action: 'dead-letter', reason: 'no-handler', errors, event };
  }
  return { action: 'handle', event, handle };
}

/** Generic over the event type, so the handler found for `event.eventType` is known to accept `event`. */
function bindHandler<K extends EventType>(
  handlers: EventHandlers,
  event: EventOf<K>,
): ((tx: Queryable) => Promise<void>) | undefined {
  const handler: EventHandler<K> | undefined = handlers[event.eventType];
  return handler && ((tx) => handler(event, tx));
}
