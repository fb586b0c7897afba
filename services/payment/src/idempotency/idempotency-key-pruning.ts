/**
 * One row per charge request: Idempotency-Key records are pruned on a schedule, like messaging's outbox and inbox,
 * with the rows kept and pruned reported in the service's /metrics.
 */
import { createRetentionJob, type Database, type RetentionJob, type RetentionLogger } from '@shop/db';
import { retentionMetrics, type Registry } from '@shop/telemetry';
import { idempotencyKeyRetention } from './idempotency-keys';

export interface IdempotencyKeyPruningOptions {
  db: Database;
  metrics: Registry;
  retentionMs: number;
  logger: RetentionLogger;
}

export function idempotencyKeyPruning({
  db,
  metrics,
  retentionMs,
  logger,
}: IdempotencyKeyPruningOptions): RetentionJob {
  const job: RetentionJob = createRetentionJob({
    db,
    logger,
    rules: [idempotencyKeyRetention(retentionMs)],
    // Only called once the job runs, by which time `reported` exists.
    onPruned: (table, rows) => reported.pruned(table, rows),
  });
  const reported = retentionMetrics(metrics, () => job.rowCounts());
  return job;
}
