/** Saga instances by state (`@shop/saga`), read at scrape time so parked sagas show even after a restart. */
import type { Registry } from 'prom-client';
import { sampledGauge } from './sampled-gauge';

export interface SagaStateCount {
  saga: string;
  /** e.g. RUNNING, COMPENSATING, COMPLETED, NEEDS_ATTENTION. */
  state: string;
  count: number;
}

export function sagaMetrics(registry: Registry, read: () => Promise<SagaStateCount[]>): void {
  sampledGauge(
    registry,
    { name: 'saga_instances', help: 'Saga instances per saga and state.', labelNames: ['saga', 'state'] },
    async () => (await read()).map(({ saga, state, count }) => ({ labels: { saga, state }, value: count })),
  );
}
