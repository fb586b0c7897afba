/**
 * What a consumer does with a message body, minus the queue: the consumer's first step (validateEvent — the envelope,
 * the type, the schema version, the data) and then the service's own handler for the type — in a transaction, or,
 * for a write-only handler (`{ writes }`), its statements as the consumer sends them.
 */
import { validateEvent } from '@shop/contracts';
import { runStatements, type Database } from '@shop/db';
import type { EventHandler, EventHandlers, EventWrites } from '@shop/messaging';

export async function consumeEvent(db: Database, handlers: EventHandlers, content: unknown): Promise<void> {
  // The body travels as JSON text: parse what was serialized, as the consumer does, not the object Pact handed us.
  const validation = validateEvent(JSON.parse(JSON.stringify(content)));
  if (!validation.ok) throw new Error(`the consumer would dead-letter this message: ${validation.errors.join('; ')}`);
  const { event } = validation;
  type Handler = EventHandler<typeof event.eventType> | EventWrites<typeof event.eventType>;
  const handler = handlers[event.eventType] as Handler | undefined;
  if (!handler) throw new Error(`the consumer has no handler for ${event.eventType}`);
  if (typeof handler === 'function') await db.transaction((tx) => handler(event, tx));
  else await runStatements(db, handler.writes(event));
}
