// The inbox: which events this consumer has handled, written in the handler's own transaction.
import type { EventEnvelope } from '@shop/contracts';
import { isUniqueViolation, pruneExpiredRows, type Queryable, type RetentionRule, type Statement } from '@shop/db';

/**
 * Records `(consumer, eventId)`; false if it was already there — a duplicate delivery to acknowledge without
 * handling. Two concurrent deliveries of one event serialise on the primary key: the second waits for the first
 * transaction and then sees the conflict (or, if the first rolled back, handles the event itself).
 */
export async function recordInInbox(tx: Queryable, consumer: string, event: EventEnvelope): Promise<boolean> {
  const { sql, params } = inboxRecord(consumer, event);
  const result = await tx.query(`${sql} ON CONFLICT (consumer, event_id) DO NOTHING`, params);
  return result.rowCount === 1;
}

/**
 * The inbox record as a statement that FAILS on a duplicate (a unique violation on the inbox key, see
 * `isInboxDuplicate`) instead of skipping it: sent with a handler's writes (`EventWrites`) in one statement, the
 * failure undoes those writes too — a duplicate delivery commits nothing, as with `recordInInbox`. Concurrent
 * deliveries of one event serialise on the key the same way.
 */
export function inboxRecord(consumer: string, event: EventEnvelope): Statement {
  return {
    sql: `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id, aggregate_version) VALUES ($1, $2, $3, $4, $5)`,
    params: [consumer, event.eventId, event.eventType, event.aggregateId, event.aggregateVersion],
  };
}

/** The error `inboxRecord` fails with when the event was handled before. */
export const isInboxDuplicate = (error: unknown): boolean => isUniqueViolation(error, 'inbox_pkey');

/**
 * How long an inbox entry is kept: longer than any redelivery of its message can arrive, or a late duplicate would
 * be handled twice. A queue keeps a message 4 days, a DLQ 14 (counted from the first send), and a dead letter may be
 * redriven until then — so 14 days by default.
 */
export const DEFAULT_INBOX_RETENTION_MS = 14 * 86_400_000;

export const inboxRetention = (retentionMs = DEFAULT_INBOX_RETENTION_MS): RetentionRule => ({
  table: 'inbox',
  timestampColumn: 'processed_at',
  retentionMs,
});

/** Deletes inbox entries older than `olderThanMs` now (the retention job does this on a schedule). */
export function pruneInbox(db: Queryable, olderThanMs: number): Promise<number> {
  return pruneExpiredRows(db, inboxRetention(olderThanMs));
}
