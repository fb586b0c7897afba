/**
 * Retention: tables that only ever grow — published outbox rows, the consumers' inbox, Idempotency-Key records — are
 * pruned by age on a schedule, so each stays bounded by (write rate × retention period) instead of growing for as
 * long as the system runs. How long to keep a row is the table owner's decision (an inbox row must outlive every
 * redelivery of its message; an idempotency key, every retry a client may still send); this job only enforces it.
 *
 * Rows go in batches (`DELETE … WHERE ctid IN (SELECT … LIMIT n)`), so a large backlog after downtime is removed in
 * short transactions rather than one long lock on the table.
 */
import { systemClock, type Clock, type TimerHandle } from '@shop/clock';
import type { Queryable } from './database';

export interface RetentionRule {
  /** The table, e.g. `inbox`. Identifiers come from code, never from input. */
  readonly table: string;
  /** The `timestamptz` column a row's age is measured on, e.g. `processed_at`. */
  readonly timestampColumn: string;
  /** Rows older than this are deleted. */
  readonly retentionMs: number;
  /** Only rows matching this SQL condition are candidates, e.g. `published_at IS NOT NULL`. */
  readonly where?: string;
}

export interface RetentionLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
}

export interface RetentionJobOptions {
  readonly db: Queryable;
  readonly rules: readonly RetentionRule[];
  /** Time between passes. Default 1 hour. */
  readonly intervalMs?: number;
  /** Rows deleted per statement. Default 1000. */
  readonly batchSize?: number;
  /** Wall-clock epoch ms (the cut-off is compared with stored timestamps) and timers. Default: the real clock. */
  readonly clock?: Clock;
  readonly logger?: RetentionLogger;
  /** Called after each table's pruning with how many rows went (for a metric). */
  readonly onPruned?: (table: string, rows: number) => void;
}

export interface TableRows {
  readonly table: string;
  readonly rows: number;
}

export interface RetentionJob {
  /** One pass now, then one every `intervalMs`. */
  start(): void;
  /** Stops the schedule and waits for a pass in progress. */
  stop(): Promise<void>;
  /** One pass: deletes every rule's expired rows; resolves with the count per table. */
  prune(): Promise<Record<string, number>>;
  /** How many rows each rule's table holds now (for a gauge). */
  rowCounts(): Promise<TableRows[]>;
  readonly rules: readonly RetentionRule[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function checkIdentifiers(rule: RetentionRule): void {
  for (const name of [rule.table, rule.timestampColumn]) {
    if (!IDENTIFIER.test(name)) throw new Error(`retention rule: "${name}" is not a plain SQL identifier`);
  }
}

/** Deletes `rule`'s rows older than its retention period at `nowMs` (epoch ms), in batches; returns how many. */
export async function pruneExpiredRows(
  db: Queryable,
  rule: RetentionRule,
  { nowMs = Date.now(), batchSize = 1_000 }: { nowMs?: number; batchSize?: number } = {},
): Promise<number> {
  checkIdentifiers(rule);
  const cutoff = new Date(nowMs - rule.retentionMs);
  const condition = `${rule.timestampColumn} < $1${rule.where ? ` AND (${rule.where})` : ''}`;
  const sql = `DELETE FROM ${rule.table} WHERE ctid IN (SELECT ctid FROM ${rule.table} WHERE ${condition} LIMIT ${batchSize})`;
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(sql, [cutoff]);
    total += rowCount;
    if (rowCount < batchSize) return total;
  }
}

export function createRetentionJob(options: RetentionJobOptions): RetentionJob {
  const { db, rules } = options;
  rules.forEach(checkIdentifiers);
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 3_600_000;
  const batchSize = options.batchSize ?? 1_000;
  let timer: TimerHandle | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function prune(): Promise<Record<string, number>> {
    const pruned: Record<string, number> = {};
    for (const rule of rules) {
      const rows = await pruneExpiredRows(db, rule, { nowMs: clock.now(), batchSize });
      pruned[rule.table] = (pruned[rule.table] ?? 0) + rows;
      options.onPruned?.(rule.table, rows);
      if (rows > 0) options.logger?.info({ table: rule.table, rows }, 'retention: pruned expired rows');
    }
    return pruned;
  }

  function pass(): void {
    timer = undefined;
    running = prune()
      .catch((error: unknown) => options.logger?.warn({ err: error }, 'retention: pruning failed; next pass retries'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = clock.setTimeout(pass, intervalMs);
      });
  }

  return {
    rules,
    start() {
      if (!stopped) return;
      stopped = false;
      pass();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await running;
    },
    prune,
    async rowCounts() {
      const tables = [...new Set(rules.map((rule) => rule.table))];
      return Promise.all(
        tables.map(async (table) => {
          const { rows } = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
          return { table, rows: rows[0]!.count };
        }),
      );
    },
  };
}
