/**
 * The consumer's first decision, pure: can this message ever be handled? Not JSON, an invalid envelope, an unknown
 * event type or no handler for it means no — retrying cannot change that, so it goes to the DLQ with the reason.
 * Otherwise the answer carries the event and its handler, ready to run.
 */
import { validateEvent, type AnyEvent, type EventOf, type EventType } from '@shop/contracts';
import type { Queryable, Statement } from '@shop/db';
import { decodeMessageBody } from './message-body';

/** Reads and writes in the consumer's transaction, which also records the event in the inbox. */
export type EventHandler<K extends EventType> = (event: EventOf<K>, tx: Queryable) => Promise<void>;

/**
 * A handler that only writes, and knows what from the event alone (an upsert into a read model, say): its writes
 * go to the server with the inbox record as ONE statement — one round trip, no BEGIN and COMMIT, and still all or
 * nothing. The same rule as `alongside`'s: no two of its writes touch one row.
 */
export interface EventWrites<K extends EventType> {
  readonly writes: (event: EventOf<K>) => Statement[];
}

export type EventHandlers = { readonly [K in EventType]?: EventHandler<K> | EventWrites<K> };

export type Classification =
  | {
      readonly action: 'handle';
      readonly event: AnyEvent;
      /** The event's handler, bound to the event. */
      readonly handle: (tx: Queryable) => Promise<void>;
    }
  | {
      readonly action: 'write';
      readonly event: AnyEvent;
      /** The event's writes (`EventWrites`), built when called. */
      readonly writes: () => Statement[];
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
  const bound = bindHandler(handlers, event);
  if (!bound) {
    const errors = [`consumer "${consumer}" has no handler for ${event.eventType}`];
    return { action: 'dead-letter', reason: 'no-handler', errors, event };
  }
  return { ...bound, event };
}

/** Generic over the event type, so the handler found for `event.eventType` is known to accept `event`. */
function bindHandler<K extends EventType>(
  handlers: EventHandlers,
  event: EventOf<K>,
):
  | { action: 'handle'; handle: (tx: Queryable) => Promise<void> }
  | { action: 'write'; writes: () => Statement[] }
  | undefined {
  const handler: EventHandler<K> | EventWrites<K> | undefined = handlers[event.eventType];
  if (!handler) return undefined;
  if (typeof handler === 'function') return { action: 'handle', handle: (tx) => handler(event, tx) };
  return { action: 'write', writes: () => handler.writes(event) };
}
