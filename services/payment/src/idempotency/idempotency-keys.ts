/**
 * Idempotency-Key records (IETF httpapi-idempotency-key-header semantics), always used inside the transaction that
 * performs the request's effect:
 *
 * 1. `claimIdempotencyKey` inserts the key row first. The primary key decides between concurrent duplicates: the
 *    first insert wins; every other one blocks on the uncommitted row until the winner commits (or rolls back).
 * 2. The winner performs the effect and `idempotencyKeyCompletion` stores the response, in the same transaction —
 *    so the key is never "completed" without its effect, nor the effect committed without its key.
 * 3. A waiter wakes up to find the completed row and replays its response. If the winner rolled back (a crash, a
 *    provider outage) the waiter's insert succeeds instead and it performs the request itself.
 *
 * A waiter gives up after `waitMs` (lock_timeout) with `RequestInProgressError` (409), so a stuck winner cannot
 * hold duplicates forever.
 */
import { sqlStateOf, type Queryable, type RetentionRule, type Statement } from '@shop/db';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type KeyClaim = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

/** The key was used before for a different request (422). */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** Another request with this key is still running (409). */
export class RequestInProgressError extends Error {
  constructor(readonly key: string) {
    super(`A request with Idempotency-Key ${key} is still in progress`);
    this.name = 'RequestInProgressError';
  }
}

const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Keys are kept a day, then pruned by the service's retention job (main.ts): long enough for every retry a client
 * or the order saga makes, short enough that the table stays bounded. A repeat after that is a new request — which
 * is why the order saga's retries of a payment stop well within a day. (Stripe keeps keys 24 hours too.)
 */
export const DEFAULT_IDEMPOTENCY_KEY_RETENTION_MS = 86_400_000;

export const idempotencyKeyRetention = (retentionMs = DEFAULT_IDEMPOTENCY_KEY_RETENTION_MS): RetentionRule => ({
  table: 'idempotency_keys',
  timestampColumn: 'created_at',
  retentionMs,
});

interface KeyRow {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_body: string | null;
}

export async function claimIdempotencyKey(
  tx: Queryable,
  input: { key: string; fingerprint: string; now: Date; waitMs: number },
): Promise<KeyClaim> {
  // The wait on a concurrent duplicate is bounded for this one statement, in this one round trip: `bounded` sets
  // lock_timeout before the row is inserted (the insert reads from it), RETURNING restores it once the row is in.
  // A conflict returns no row and keeps the bound for the rest of the transaction, which then only reads the key's
  // row and ends — it takes no lock the bound could cut short. (SET LOCAL before and after would be two more trips.)
  let inserted: number;
  try {
    ({ rowCount: inserted } = await tx.query(
      `WITH bounded AS MATERIALIZED (
         SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', $4, true) AS bound
       )
       INSERT INTO idempotency_keys (key, fingerprint, status, created_at)
       SELECT $1, $2, 'in_progress', $3::timestamptz FROM bounded
       ON CONFLICT (key) DO NOTHING
       RETURNING set_config('lock_timeout', (SELECT previous FROM bounded), true)`,
      [input.key, input.fingerprint, input.now, `${Math.max(1, Math.floor(input.waitMs))}ms`],
    ));
  } catch (error) {
    if (sqlStateOf(error) === LOCK_NOT_AVAILABLE) throw new RequestInProgressError(input.key);
    throw error;
  }
  if (inserted === 1) return { kind: 'claimed' };

  // Someone else's row, committed: the winner has finished (its insert no longer blocks ours).
  const { rows } = await tx.query<KeyRow>(
    'SELECT fingerprint, status, response_status, response_body FROM idempotency_keys WHERE key = $1',
    [input.key],
  );
  const row = rows[0];
  if (!row) {
    // Deleted (expired) between our insert and this read: extremely unlikely; let the client retry.
    throw new RequestInProgressError(input.key);
  }
  if (row.fingerprint !== input.fingerprint) throw new IdempotencyKeyReusedError(input.key);
  if (row.status !== 'completed' || row.response_status === null) throw new RequestInProgressError(input.key);
  return { kind: 'replay', response: { status: row.response_status, body: JSON.parse(row.response_body ?? 'null') } };
}

/** Stores the response of the request that claimed `key`, as a statement: sent with the request's last write. */
export function idempotencyKeyCompletion(key: string, response: StoredResponse, now: Date): Statement {
  return {
    sql: `UPDATE idempotency_keys SET status = 'completed', response_status = $2, response_body = $3, completed_at = $4
     WHERE key = $1`,
    params: [key, response.status, JSON.stringify(response.body), now],
  };
}
