/**
 * All SQL of the engine. Times are epoch milliseconds from the injected clock, stored as timestamptz.
 * Writes by the process running an instance are fenced on `lease_owner`: a process whose lease was taken over
 * (it stalled past lease_until and another claimed the instance) finds its write matching no row and stops.
 */
import type { Database, Queryable, Row } from '@shop/db';
import type { SagaData } from './define-saga';
import { SagaState, type ActiveSagaState } from './saga-state';

/** One saga instance as stored. */
export interface SagaRecord {
  readonly id: string;
  readonly sagaName: string;
  readonly state: SagaState;
  readonly currentStep: number;
  readonly data: SagaData;
  readonly attempt: number;
  readonly nextAttemptAt: number | null;
  readonly failureReason: string | null;
  readonly attentionReason: string | null;
  readonly attentionFrom: ActiveSagaState | null;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** W3C traceparent of the request that started the saga (see saga-tracing.ts). */
  readonly traceContext: string | null;
}

export type StepAction = 'invoke' | 'compensate';
export type StepOutcome = 'succeeded' | 'business-failure' | 'transient-failure' | 'error';

export interface StepLogRecord {
  readonly id: number;
  readonly stepName: string;
  readonly action: StepAction;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly outcome: StepOutcome | null;
  readonly error: string | null;
  /** The process that made the attempt (its `lease_owner`), and the end of the lease it held for it. */
  readonly owner: string | null;
  readonly leaseUntil: number | null;
}

/** The attempt a transition closes: its log row and how it ended (stamped with the record's `updatedAt`). */
export interface FinishedAttemptEntry {
  readonly logId: number;
  readonly outcome: StepOutcome;
  readonly error: string | null;
}

/** The attempt a transition opens, started at the record's `updatedAt` by this process. */
export interface StartedAttemptEntry {
  readonly stepName: string;
  readonly action: StepAction;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly leaseUntil: number;
}

/** Thrown when a fenced write finds another process holding the instance. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly sagaId: string) {
    super(`Lease on saga ${sagaId} was lost to another process`);
  }
}

const activeStates = `('${SagaState.RUNNING}', '${SagaState.COMPENSATING}')`;

export class SagaStore {
  constructor(
    private readonly db: Database,
    private readonly owner: string,
  ) {}

  /** Inserts a new instance; false when one with this id already exists (start is idempotent by saga id). */
  async insert(
    target: Queryable,
    id: string,
    sagaName: string,
    data: SagaData,
    now: number,
    traceContext: string | null = null,
  ): Promise<boolean> {
    const result = await target.query(
      `INSERT INTO saga_instances (id, saga_name, state, current_step, data, attempt, next_attempt_at,
                                   created_at, updated_at, trace_context)
       VALUES ($1, $2, '${SagaState.RUNNING}', 0, $3::jsonb, 0, $4::timestamptz, $4::timestamptz, $4::timestamptz, $5)
       ON CONFLICT (id) DO NOTHING`,
      [id, sagaName, JSON.stringify(data), iso(now), traceContext],
    );
    return result.rowCount === 1;
  }

  /**
   * Takes the lease on up to `limit` due instances nobody holds, oldest due first, skipping `excluding`. The rows are
   * picked `FOR UPDATE SKIP LOCKED`, so processes claiming at the same moment get disjoint batches instead of queueing
   * behind each other's row locks; and the UPDATE re-checks the lease on the locked row, so of two processes racing
   * for one instance exactly one gets it back.
   */
  async claimDue(
    now: number,
    leaseUntil: number,
    limit: number,
    excluding: readonly string[] = [],
  ): Promise<SagaRecord[]> {
    const result = await this.db.query(
      `UPDATE saga_instances SET lease_owner = $1, lease_until = $2::timestamptz
       WHERE id IN (
         SELECT id FROM saga_instances
         WHERE state IN ${activeStates} AND next_attempt_at <= $3::timestamptz
           AND (lease_until IS NULL OR lease_until < $3::timestamptz)
           AND NOT (id = ANY($5::text[]))
         ORDER BY next_attempt_at LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.owner, iso(leaseUntil), iso(now), limit, excluding],
    );
    return result.rows.map(toRecord).sort((a, b) => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0));
  }

  /**
   * One step boundary in one statement: writes every mutable column of the instance, fenced on our lease, and — only
   * if that write found our lease — closes the attempt that ended (`finished`) and opens the next (`started`),
   * returning the new attempt's log id. A lost lease writes nothing and throws LeaseLostError, before the caller runs
   * any hook. One statement instead of three: on PGlite's single connection each one is a round trip into WASM.
   */
  async saveTransition(
    tx: Queryable,
    record: SagaRecord,
    { finished, started }: { finished?: FinishedAttemptEntry; started?: StartedAttemptEntry } = {},
  ): Promise<number | undefined> {
    const result = await tx.query<{ saved: number | string; started_id: number | string | null }>(
      `WITH saved AS (
         UPDATE saga_instances SET state = $3, current_step = $4, data = $5::jsonb, attempt = $6,
           next_attempt_at = $7::timestamptz, failure_reason = $8, attention_reason = $9, attention_from = $10,
           lease_owner = $11, lease_until = $12::timestamptz, updated_at = $13::timestamptz
         WHERE id = $1 AND lease_owner = $2
         RETURNING id
       ), finished AS (
         UPDATE saga_step_log SET outcome = $15::text, error = $16::text, finished_at = $13::timestamptz
         WHERE id = $14::bigint AND EXISTS (SELECT 1 FROM saved)
       ), started AS (
         INSERT INTO saga_step_log (saga_id, step_name, action, attempt, idempotency_key, started_at,
                                    lease_owner, lease_until)
         SELECT id, $17::text, $18::text, $19::integer, $20::text, $13::timestamptz, $2, $21::timestamptz
           FROM saved WHERE $17::text IS NOT NULL
         RETURNING id
       )
       SELECT (SELECT count(*) FROM saved) AS saved, (SELECT id FROM started) AS started_id`,
      [
        record.id,
        this.owner,
        record.state,
        record.currentStep,
        JSON.stringify(record.data),
        record.attempt,
        isoOrNull(record.nextAttemptAt),
        record.failureReason,
        record.attentionReason,
        record.attentionFrom,
        record.leaseOwner,
        isoOrNull(record.leaseUntil),
        iso(record.updatedAt),
        finished?.logId ?? null,
        finished?.outcome ?? null,
        finished?.error ?? null,
        started?.stepName ?? null,
        started?.action ?? null,
        started?.attempt ?? null,
        started?.idempotencyKey ?? null,
        started ? iso(started.leaseUntil) : null,
      ],
    );
    const row = result.rows[0]!;
    if (Number(row.saved) !== 1) throw new LeaseLostError(record.id);
    return row.started_id === null ? undefined : Number(row.started_id);
  }

  /** NEEDS_ATTENTION → the state it came from, due now, with a fresh attempt budget. Undefined if not parked. */
  async requeueFromAttention(tx: Queryable, id: string, now: number): Promise<SagaRecord | undefined> {
    const result = await tx.query(
      `UPDATE saga_instances SET state = attention_from, attention_reason = NULL, attention_from = NULL,
         attempt = 0, next_attempt_at = $2::timestamptz, lease_owner = NULL, lease_until = NULL,
         updated_at = $2::timestamptz
       WHERE id = $1 AND state = '${SagaState.NEEDS_ATTENTION}'
       RETURNING *`,
      [id, iso(now)],
    );
    return result.rows[0] ? toRecord(result.rows[0]) : undefined;
  }

  async get(id: string): Promise<SagaRecord | undefined> {
    const result = await this.db.query('SELECT * FROM saga_instances WHERE id = $1', [id]);
    return result.rows[0] ? toRecord(result.rows[0]) : undefined;
  }

  async list(state: SagaState | undefined, limit: number, newestFirst = false): Promise<SagaRecord[]> {
    const order = newestFirst ? 'created_at DESC, id DESC' : 'created_at, id';
    const result = await this.db.query(
      `SELECT * FROM saga_instances WHERE ($1::text IS NULL OR state = $1) ORDER BY ${order} LIMIT $2`,
      [state ?? null, limit],
    );
    return result.rows.map(toRecord);
  }

  async countByState(): Promise<Map<SagaState, number>> {
    const result = await this.db.query<{ state: SagaState; count: number | string }>(
      'SELECT state, count(*) AS count FROM saga_instances GROUP BY state',
    );
    return new Map(result.rows.map((row) => [row.state, Number(row.count)]));
  }

  /** An instance with its step log, in one round trip (what a status read shows). */
  async getWithLog(id: string): Promise<{ record: SagaRecord; log: StepLogRecord[] } | undefined> {
    const result = await this.db.query(
      `SELECT s.*, coalesce((SELECT json_agg(l ORDER BY l.id) FROM saga_step_log l WHERE l.saga_id = s.id), '[]')
                   AS step_log
         FROM saga_instances s WHERE s.id = $1`,
      [id],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    const log = typeof row.step_log === 'string' ? (JSON.parse(row.step_log) as Row[]) : (row.step_log as Row[]);
    return { record: toRecord(row), log: log.map(toStepLogRecord) };
  }
}

function toRecord(row: Row): SagaRecord {
  return {
    id: row.id as string,
    sagaName: row.saga_name as string,
    state: row.state as SagaState,
    currentStep: row.current_step as number,
    data: row.data as SagaData,
    attempt: row.attempt as number,
    nextAttemptAt: toMs(row.next_attempt_at),
    failureReason: (row.failure_reason as string | null) ?? null,
    attentionReason: (row.attention_reason as string | null) ?? null,
    attentionFrom: (row.attention_from as ActiveSagaState | null) ?? null,
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseUntil: toMs(row.lease_until),
    createdAt: toMs(row.created_at)!,
    updatedAt: toMs(row.updated_at)!,
    traceContext: (row.trace_context as string | null) ?? null,
  };
}

function toStepLogRecord(row: Row): StepLogRecord {
  return {
    id: Number(row.id),
    stepName: row.step_name as string,
    action: row.action as StepAction,
    attempt: row.attempt as number,
    idempotencyKey: row.idempotency_key as string,
    startedAt: toMs(row.started_at)!,
    finishedAt: toMs(row.finished_at),
    outcome: (row.outcome as StepOutcome | null) ?? null,
    error: (row.error as string | null) ?? null,
    owner: (row.lease_owner as string | null) ?? null,
    leaseUntil: toMs(row.lease_until),
  };
}

/** Both drivers return timestamptz as Date (json_agg gives a string); accept either. */
function toMs(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
