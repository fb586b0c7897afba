/**
 * A gauge read at scrape time (from the database, from SQS…) instead of being kept up to date by the code:
 * right after a restart, and never drifting. A failing read keeps the previous values and counts the failure
 * in `metrics_collect_errors_total` (visible from the next scrape: metrics are collected side by side),
 * so one slow dependency cannot break the whole `/metrics` page.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';

export interface Sample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

export function sampledGauge<L extends string>(
  registry: Registry,
  definition: { name: string; help: string; labelNames: readonly L[] },
  read: () => Promise<Sample<L>[]> | Sample<L>[],
): Gauge<L> {
  const collectErrors = registeredMetric(
    registry,
    'metrics_collect_errors_total',
    () =>
      new Counter({
        name: 'metrics_collect_errors_total',
        help: 'Scrape-time metric reads that failed (the metric kept its previous values).',
        labelNames: ['metric'],
        registers: [registry],
      }),
  );
  return registeredMetric(
    registry,
    definition.name,
    () =>
      new Gauge<L>({
        ...definition,
        registers: [registry],
        async collect() {
          try {
            const samples = await read();
            this.reset();
            for (const { labels, value } of samples) this.set(labels, value);
          } catch {
            collectErrors.inc({ metric: definition.name });
          }
        },
      }),
  );
}
