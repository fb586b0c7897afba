/**
 * The relay's SQL: claim → (publish, with no transaction open) → settle.
 *
 * Claiming takes the *head* (lowest unpublished version) of each aggregate nobody holds, with
 * `FOR UPDATE SKIP LOCKED` so relays claiming at the same moment get disjoint aggregates, and marks that aggregate's
 * pending rows `claimed_by` this relay until `claimed_until` — then commits. The claim, not a row lock, is what makes
 * the aggregate this relay's while it publishes: another relay skips an aggregate whose head is under a live claim,
 * so it never publishes a later event of it ahead of the earlier one. A claim always starts at the head and is
 * released whole, so "the head is claimed" means "the aggregate is taken".
 *
 * A claim is a lease measured on the relay's clock (passed in, not the database's now(), so fake clocks work). A
 * relay that dies mid-publish leaves its claim to expire; the next relay re-claims and publishes those rows again —
 * at-least-once, the consumers' inbox drops the duplicates. Settling is fenced on `claimed_by`: a relay that was too
 * slow and lost its rows to another changes nothing the other now owns.
 *
 * Only unpublished rows are ever selected — there is no "last published id" cursor — so a row committed late by a
 * slow transaction is simply found on the next pass instead of being skipped.
 */
import { pruneExpiredRows, type Database, type Queryable, type RetentionRule } from '@shop/db';

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

export interface ClaimRequest {
  /** This relay instance (a random UUID): the owner written into `claimed_by`. */
  readonly relayId: string;
  /** The relay's clock: claims that ended at or before this are free. */
  readonly now: number;
  readonly leaseUntil: number;
  readonly maxAggregates: number;
  readonly maxEvents: number;
}

/**
 * Claims up to `maxAggregates` free aggregates and returns up to `maxEvents` of their pending events, each aggregate's
 * in version order. A short transaction of its own: its row locks last two statements, never an SNS call.
 */
export function claimPendingEvents(db: Database, request: ClaimRequest): Promise<PendingEvent[]> {
  return db.transaction(async (tx) => {
    // `claimed_until` is checked on the head row itself: Postgres re-checks it on the newest version of a row it
    // locks, so a head another relay claimed and committed a moment ago is passed over, not claimed twice.
    const heads = await tx.query<{ aggregate_id: string }>(
      `SELECT o.aggregate_id FROM outbox o
        WHERE o.published_at IS NULL
          AND (o.claimed_until IS NULL OR o.claimed_until <= $2::timestamptz)
          AND NOT EXISTS (
            SELECT 1 FROM outbox earlier
             WHERE earlier.published_at IS NULL AND earlier.aggregate_id = o.aggregate_id
               AND (earlier.aggregate_version, earlier.id) < (o.aggregate_version, o.id))
        ORDER BY o.id
        LIMIT $1
        FOR UPDATE OF o SKIP LOCKED`,
      [request.maxAggregates, new Date(request.now)],
    );
    if (heads.rows.length === 0) return [];
    const { rows } = await tx.query<{
      id: string;
      aggregate_id: string;
      event_type: string;
      envelope: Record<string, unknown> | string;
      traceparent: string | null;
    }>(
      `WITH claimed AS (
         UPDATE outbox SET claimed_by = $3, claimed_until = $4::timestamptz
          WHERE published_at IS NULL
            AND id IN (SELECT id FROM outbox
                        WHERE published_at IS NULL AND aggregate_id = ANY($1::text[])
                        ORDER BY aggregate_id, aggregate_version, id
                        LIMIT $2)
         RETURNING id, aggregate_id, aggregate_version, event_type, envelope, traceparent)
       SELECT id::text AS id, aggregate_id, event_type, envelope, traceparent FROM claimed
        ORDER BY aggregate_id, aggregate_version, id`,
      [heads.rows.map((row) => row.aggregate_id), request.maxEvents, request.relayId, new Date(request.leaseUntil)],
    );
    return rows.map((row) => ({
      id: row.id,
      aggregateId: row.aggregate_id,
      eventType: row.event_type,
      envelope: typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope,
      traceparent: row.traceparent,
    }));
  });
}

export interface ClaimOutcome {
  readonly relayId: string;
  /** Every row the claim returned. Those neither published nor failed were not tried and are released as they are. */
  readonly claimed: readonly string[];
  readonly published: readonly string[];
  readonly failed: readonly string[];
  /** Recorded as `last_error` on the failed rows. */
  readonly error: string;
}

/**
 * Records what became of a claim and releases it, in one short transaction. Every statement touches only rows still
 * `claimed_by` this relay; returns how many of the claimed rows were not (another relay took them over after the
 * lease ran out, and its outcome stands). A settle racing such a takeover of the same aggregate can deadlock with it on
 * Postgres; the server aborts one of the two — an aborted claim is retried next pass, an aborted settle leaves the
 * rows to the relay taking them over — so either outcome is safe.
 */
export function settleClaim(db: Database, outcome: ClaimOutcome): Promise<{ lost: number }> {
  const { relayId, claimed, published, failed } = outcome;
  const release = 'claimed_by = NULL, claimed_until = NULL';
  return db.transaction(async (tx) => {
    const marked = await tx.query(
      `UPDATE outbox SET published_at = now(), last_error = NULL, ${release}
        WHERE id = ANY($1::bigint[]) AND claimed_by = $2`,
      [published, relayId],
    );
    const recorded = await tx.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $3, ${release}
        WHERE id = ANY($1::bigint[]) AND claimed_by = $2`,
      [failed, relayId, outcome.error.slice(0, 1000)],
    );
    // What is left of the claim was not tried (the pass ended early): free for the next pass of any relay now,
    // rather than after the lease.
    const released = await tx.query(`UPDATE outbox SET ${release} WHERE id = ANY($1::bigint[]) AND claimed_by = $2`, [
      claimed,
      relayId,
    ]);
    return { lost: claimed.length - marked.rowCount - recorded.rowCount - released.rowCount };
  });
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
