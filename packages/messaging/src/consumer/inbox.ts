// The inbox: which events this consumer has handled, written in the handler's own transaction.
import type { EventEnvelope } from '@shop/contracts';
import type { Queryable } from '@shop/db';

/**
 * Records `(consumer, eventId)`; false if it was already there — a duplicate delivery to acknowledge without
 * handling. Two concurrent deliveries of one event serialise on the primary key: the second waits for the first
 * transaction and then sees the conflict (or, if the first rolled back, handles the event itself).
 */
export async function recordInInbox(tx: Queryable, consumer: string, event: EventEnvelope): Promise<boolean> {
  const result = await tx.query(
    `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id, aggregate_version)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consumer, event_id) DO NOTHING`,
    [consumer, event.eventId, event.eventType, event.aggregateId, event.aggregateVersion],
  );
  return result.rowCount === 1;
}

/**
 * Deletes inbox entries older than `olderThanMs`. Keep them longer than any redelivery can arrive: the queue's
 * retention (default 4 days), plus the DLQ's (14 days) if dead letters may be redriven.
 */
export async function pruneInbox(db: Queryable, olderThanMs: number): Promise<number> {
  const result = await db.query('DELETE FROM inbox WHERE processed_at < now() - make_interval(secs => $1)', [
    olderThanMs / 1000,
  ]);
  return result.rowCount;
}
