// The producer's half of the outbox: events are rows written in the same transaction as the state change.
import { InvalidEventError, validateEvent, type EventEnvelope } from '@shop/contracts';
import { runStatements, type Queryable, type Statement } from '@shop/db';
import { traceparentToStore } from '../tracing';

/**
 * Inserts `events` into the outbox using `tx`, the service's own transaction: the events exist if and only if the
 * state change commits. Call `relay.wake()` after the transaction commits so they are published at once.
 */
export async function enqueueEvents(tx: Queryable, events: readonly EventEnvelope[]): Promise<void> {
  await runStatements(tx, outboxInsert(events));
}

/**
 * The outbox insert of `events` as statements, not run: for a writer that sends them together with its own change
 * in one statement (the event store's `alsoWrite`, `alongside` in @shop/db). One multi-row insert, none for no events.
 */
export function outboxInsert(events: readonly EventEnvelope[]): Statement[] {
  if (events.length === 0) return [];
  const params: unknown[] = [];
  const rows = events.map((event) => {
    // Validated on publish as well as on consume: a bad event fails its producer's transaction, not a consumer.
    const result = validateEvent(event);
    if (!result.ok) throw new InvalidEventError(event.eventType, result.errors);
    params.push(
      event.eventId,
      event.eventType,
      event.aggregateId,
      event.aggregateVersion,
      JSON.stringify(event),
      // The span writing the event (e.g. the HTTP request): the relay's publish span becomes its child.
      traceparentToStore(event.metadata.traceparent) ?? null,
    );
    const n = params.length;
    return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n})`;
  });
  return [
    {
      sql: `INSERT INTO outbox (event_id, event_type, aggregate_id, aggregate_version, envelope, traceparent)
     VALUES ${rows.join(', ')}`,
      params,
    },
  ];
}
