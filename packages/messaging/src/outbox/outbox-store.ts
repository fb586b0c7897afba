/**
 * The relay's SQL: claim → (publish, with no transaction open) → settle — one statement each, so a pass that
 * publishes costs two database round trips and an empty pass one.
 *
 * Claiming takes the *head* (lowest unpublished version) of each aggregate nobody holds, with
 * `FOR UPDATE SKIP LOCKED` so relays claiming at the same moment get disjoint aggregates, and marks that aggregate's
 * pending rows `claimed_by` this relay until `claimed_until`, all in one statement. The claim, not a row lock, is what makes
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
import { pruneExpiredRows, type Queryable, type RetentionRule } from '@shop/db';

export interface PendingEvent {
  readonly id: string;
  readonly aggregateId: string;
  readonly eventType: string;
  readonly envelope: Record<string, unknown>;
  readonly traceparent: string | null;
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
 * in version order. One statement, so atomic without BEGIN/COMMIT: its row locks last that one statement, never an
 * SNS call. It is also the whole of an empty pass — nothing pending (or everything claimed by others) returns no
 * rows — so no separate "anything pending?" read goes before it: that read would cost the same round trip and
 * would be followed by this one whenever it says yes.
 *
 * `heads` locks each free aggregate's head `FOR UPDATE SKIP LOCKED`: a head another relay is claiming right now is
 * skipped, not waited for. `claimed_until` is checked on the head row itself: on a row it locks, Postgres re-checks
 * the WHERE clause against the newest committed version (read committed), so a head another relay claimed and
 * committed a moment ago — after this statement's snapshot — is passed over, not claimed twice. `MATERIALIZED`
 * keeps the locking, limited selection one step evaluated once, rather than folded into the UPDATE's subquery.
 * (PGlite has one connection: statements never run concurrently there, and the locks are moot.)
 */
export async function claimPendingEvents(db: Queryable, request: ClaimRequest): Promise<PendingEvent[]> {
  const { rows } = await db.query<{
    id: string;
    aggregate_id: string;
    event_type: string;
    envelope: Record<string, unknown> | string;
    traceparent: string | null;
  }>(
    `WITH heads AS MATERIALIZED (
       SELECT o.aggregate_id FROM outbox o
        WHERE o.published_at IS NULL
          AND (o.claimed_until IS NULL OR o.claimed_until <= $2::timestamptz)
          AND NOT EXISTS (
            SELECT 1 FROM outbox earlier
             WHERE earlier.published_at IS NULL AND earlier.aggregate_id = o.aggregate_id
               AND (earlier.aggregate_version, earlier.id) < (o.aggregate_version, o.id))
        ORDER BY o.id
        LIMIT $1
        FOR UPDATE OF o SKIP LOCKED),
     claimed AS (
       UPDATE outbox SET claimed_by = $4, claimed_until = $5::timestamptz
        WHERE published_at IS NULL
          AND id IN (SELECT id FROM outbox
                      WHERE published_at IS NULL AND aggregate_id IN (SELECT aggregate_id FROM heads)
                      ORDER BY aggregate_id, aggregate_version, id
                      LIMIT $3)
       RETURNING id, aggregate_id, aggregate_version, event_type, envelope, traceparent)
     SELECT id::text AS id, aggregate_id, event_type, envelope, traceparent FROM claimed
      ORDER BY aggregate_id, aggregate_version, id`,
    [request.maxAggregates, new Date(request.now), request.maxEvents, request.relayId, new Date(request.leaseUntil)],
  );
  return rows.map((row) => ({
    id: row.id,
    aggregateId: row.aggregate_id,
    eventType: row.event_type,
    envelope: typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope,
    traceparent: row.traceparent,
  }));
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

type SettledAs = 'published' | 'failed' | 'untried';

/**
 * Records what became of a claim and releases it, in one statement: each claimed row is marked published, has a
 * failed attempt (and the error) recorded, or — not tried, the pass ended early — is just released, free for the next
 * pass of any relay now rather than after the lease. The UPDATE touches only rows still `claimed_by` this relay;
 * returns how many of the claimed rows were not (another relay took them over after the lease ran out, and its
 * outcome stands). A settle racing such a takeover of the same aggregate can deadlock with it on Postgres; the server
 * aborts one of the two — an aborted claim is retried next pass, an aborted settle leaves the rows to the relay taking
 * them over — so either outcome is safe.
 */
export async function settleClaim(db: Queryable, outcome: ClaimOutcome): Promise<{ lost: number }> {
  const { relayId, claimed } = outcome;
  const settledAs = new Map<string, SettledAs>(claimed.map((id) => [id, 'untried']));
  for (const id of outcome.published) settledAs.set(id, 'published');
  for (const id of outcome.failed) settledAs.set(id, 'failed');
  const settled = await db.query(
    `UPDATE outbox o
        SET published_at = CASE WHEN s.outcome = 'published' THEN now() ELSE o.published_at END,
            attempts = o.attempts + CASE WHEN s.outcome = 'failed' THEN 1 ELSE 0 END,
            last_error = CASE s.outcome WHEN 'published' THEN NULL WHEN 'failed' THEN $4 ELSE o.last_error END,
            claimed_by = NULL, claimed_until = NULL
       FROM unnest($1::bigint[], $2::text[]) AS s(id, outcome)
      WHERE o.id = s.id AND o.claimed_by = $3`,
    [[...settledAs.keys()], [...settledAs.values()], relayId, outcome.error.slice(0, 1000)],
  );
  return { lost: settledAs.size - settled.rowCount };
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
