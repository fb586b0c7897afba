/**
 * The saga engine (`@shop/saga`) as an operator sees it: instances by state, read at scrape time so parked sagas show
 * even after a restart, and how busy the worker's slots are. `saga_worker_busy_seconds_total` grows by each run's
 * length, so its rate is the mean number of sagas running (Little's law): a worker that stays near one with sagas
 * waiting is not using its slots.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';
import { sampledGauge } from './sampled-gauge';

export interface SagaStateCount {
  saga: string;
  /** e.g. RUNNING, COMPENSATING, COMPLETED, NEEDS_ATTENTION. */
  state: string;
  count: number;
}

export interface SagaMetricsSources {
  instances: () => Promise<SagaStateCount[]>;
  /** Sagas holding a worker slot now. */
  slotsBusy: () => number;
}

export interface SagaMetrics {
  /** One run of a saga in a slot (claim to release) took this long. */
  recordRun(saga: string, seconds: number): void;
}

export function sagaMetrics(registry: Registry, sources: SagaMetricsSources): SagaMetrics {
  sampledGauge(
    registry,
    { name: 'saga_instances', help: 'Saga instances per saga and state.', labelNames: ['saga', 'state'] },
    async () =>
      (await sources.instances()).map(({ saga, state, count }) => ({ labels: { saga, state }, value: count })),
  );
  registeredMetric(
    registry,
    'saga_worker_slots_busy',
    () =>
      new Gauge({
        name: 'saga_worker_slots_busy',
        help: 'Sagas running in this process now (worker slots in use).',
        registers: [registry],
        collect() {
          this.set(sources.slotsBusy());
        },
      }),
  );
  const busySeconds = registeredMetric(
    registry,
    'saga_worker_busy_seconds_total',
    () =>
      new Counter({
        name: 'saga_worker_busy_seconds_total',
        help: 'Seconds sagas spent running in worker slots; its rate is the mean number of sagas running.',
        labelNames: ['saga'],
        registers: [registry],
      }),
  );
  return { recordRun: (saga, seconds) => busySeconds.inc({ saga }, seconds) };
}
