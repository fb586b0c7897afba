/**
 * Metrics for tables kept bounded by a retention job (`@shop/db`'s createRetentionJob): how many rows each holds,
 * read at scrape time, and how many a job has pruned. A row count that keeps rising means the pruning is not
 * keeping up (or not running) long before the disk says so.
 */
import { Counter, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';
import { sampledGauge } from './sampled-gauge';

export interface TableRowCount {
  table: string;
  rows: number;
}

export interface RetentionMetrics {
  /** Feed to the job's `onPruned`. */
  pruned(table: string, rows: number): void;
}

// Several jobs in one process (messaging's inbox and outbox, a service's idempotency keys) share one gauge.
const readersByRegistry = new WeakMap<Registry, (() => Promise<TableRowCount[]>)[]>();

export function retentionMetrics(registry: Registry, rowCounts: () => Promise<TableRowCount[]>): RetentionMetrics {
  let readers = readersByRegistry.get(registry);
  if (!readers) readersByRegistry.set(registry, (readers = []));
  readers.push(rowCounts);
  const all = readers;
  sampledGauge(
    registry,
    { name: 'retained_table_rows', help: 'Rows in each table pruned by a retention job.', labelNames: ['table'] },
    async () =>
      (await Promise.all(all.map((read) => read())))
        .flat()
        .map(({ table, rows }) => ({ labels: { table }, value: rows })),
  );
  const counter = registeredMetric(
    registry,
    'retention_pruned_rows_total',
    () =>
      new Counter({
        name: 'retention_pruned_rows_total',
        help: 'Rows deleted by retention jobs, per table.',
        labelNames: ['table'],
        registers: [registry],
      }),
  );
  return { pruned: (table, rows) => counter.inc({ table }, rows) };
}
