/**
 * The relay's SQL. Claiming takes the *head* (lowest unpublished version) of each aggregate with
 * `FOR UPDATE SKIP LOCKED`: whoever holds an aggregate's head owns that aggregate until it commits, so two relays
 * never publish one aggregate's events concurrently (which could reorder them), yet they share the work.
 * Only unpublished rows are ever selected — there is no "last published id" cursor — so a row committed late by a
 * slow transaction is simply found on the next pass instead of being skipped.
 */
import { pruneExpiredRows, type Queryable, type RetentionRule } from '@shop/db';

export interface PendingEvent {
  readonly id: string;
  readonly aggregateId: string;
  readonly eventType: string;
  readonly envelope: Record<string, unknown>;
  readonly traceparent: string | null;
}

/**
 * Whether anything waits to be published: one indexed read, outside any transaction. Most wakes find nothing (a
 * service wakes its relay after every commit that may have enqueued), and this is all such a pass costs.
 */
export async function hasPendingEvents(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ pending: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS pending',
  );
  return rows[0]?.pending === true;
}

/** Locks up to `maxAggregates` aggregate heads and returns up to `maxEvents` of their events, each in order. */
export async function claimPendingEvents(
  tx: Queryable,
  maxAggregates: number,
  maxEvents: number,
): Promise<PendingEvent[]> {
  const heads = await tx.query<{ aggregate_id: string }>(
    `SELECT o.aggregate_id FROM outbox o
      WHERE o.published_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM outbox earlier
           WHERE earlier.published_at IS NULL AND earlier.aggregate_id = o.aggregate_id
             AND (earlier.aggregate_version, earlier.id) < (o.aggregate_version, o.id))
      ORDER BY o.id
      LIMIT $1
      FOR UPDATE OF o SKIP LOCKED`,
    [maxAggregates],
  );
  if (heads.rows.length === 0) return [];
  const { rows } = await tx.query<{
    id: string;
    aggregate_id: string;
    event_type: string;
    envelope: Record<string, unknown> | string;
    traceparent: string | null;
  }>(
    `SELECT id::text AS id, aggregate_id, event_type, envelope, traceparent FROM outbox
      WHERE published_at IS NULL AND aggregate_id = ANY($1::text[])
      ORDER BY aggregate_id, aggregate_version, id
      LIMIT $2
      FOR UPDATE`,
    [heads.rows.map((row) => row.aggregate_id), maxEvents],
  );
  return rows.map((row) => ({
    id: row.id,
    aggregateId: row.aggregate_id,
    eventType: row.event_type,
    envelope: typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope,
    traceparent: row.traceparent,
  }));
}

export async function markPublished(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('UPDATE outbox SET published_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])', [ids]);
}

export async function recordFailedAttempt(tx: Queryable, ids: readonly string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])', [
    ids,
    error.slice(0, 1000),
  ]);
}

/** Published rows are kept a week (to look into what was sent), then pruned; unpublished rows are never pruned. */
export const DEFAULT_OUTBOX_RETENTION_MS = 7 * 86_400_000;

export const outboxRetention = (retentionMs = DEFAULT_OUTBOX_RETENTION_MS): RetentionRule => ({
  table: 'outbox',
  // NULL until published, and `NULL < cutoff` is never true: pending rows are never candidates.
  timestampColumn: 'published_at',
  retentionMs,
});

/** Deletes rows published more than `retentionMs` ago; returns how many. */
export function prunePublished(db: Queryable, retentionMs: number): Promise<number> {
  return pruneExpiredRows(db, outboxRetention(retentionMs));
}

export async function countPending(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL',
  );
  return rows[0]!.count;
}

/** Backlog for metrics: how many rows wait and how old the oldest is (a stuck relay shows here first). */
export async function outboxBacklog(db: Queryable): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const { rows } = await db.query<{ pending: number; oldest_age: number | string | null }>(
    `SELECT count(*)::int AS pending,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest_age
       FROM outbox WHERE published_at IS NULL`,
  );
  return { pending: rows[0]!.pending, oldestAgeSeconds: Number(rows[0]!.oldest_age ?? 0) };
}
