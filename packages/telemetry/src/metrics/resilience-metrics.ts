/** Metrics fed by the resilience policies (`@shop/resilience`): circuit breaker state and retries. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';

/** The states of `@shop/resilience`'s breaker; `isolated` (forced open by hand) is reported as open. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** The gauge's values, so a dashboard can colour them: 0 closed, 1 open, 2 half-open. */
export const breakerStateValue: Record<BreakerState, number> = { closed: 0, open: 1, 'half-open': 2, isolated: 1 };

export interface CircuitBreakerMetrics {
  /** Record the state without a transition, e.g. `closed` when the breaker is created. */
  setState(downstream: string, state: BreakerState): void;
  /** Pass straight to the breaker: `breaker.onStateChange(metrics.onStateChange)`. */
  onStateChange(change: { breaker: string; from: BreakerState; to: BreakerState }): void;
}

export function circuitBreakerMetrics(registry: Registry): CircuitBreakerMetrics {
  const state = registeredMetric(
    registry,
    'circuit_breaker_state',
    () =>
      new Gauge({
        name: 'circuit_breaker_state',
        help: 'Circuit breaker state per downstream: 0 closed, 1 open, 2 half-open.',
        labelNames: ['downstream'],
        registers: [registry],
      }),
  );
  const transitions = registeredMetric(
    registry,
    'circuit_breaker_transitions_total',
    () =>
      new Counter({
        name: 'circuit_breaker_transitions_total',
        help: 'Circuit breaker state changes per downstream.',
        labelNames: ['downstream', 'from', 'to'],
        registers: [registry],
      }),
  );
  const setState = (downstream: string, to: BreakerState) => state.set({ downstream }, breakerStateValue[to]);
  return {
    setState,
    onStateChange: ({ breaker, from, to }) => {
      setState(breaker, to);
      transitions.inc({ downstream: breaker, from, to });
    },
  };
}

export interface RetryMetrics {
  /** One retry (not the first attempt) of `operation`, e.g. `payment-service` or `sns:publish`. */
  recordRetry(operation: string): void;
}

export function retryMetrics(registry: Registry): RetryMetrics {
  const retries = registeredMetric(
    registry,
    'retries_total',
    () =>
      new Counter({
        name: 'retries_total',
        help: 'Retried attempts per operation (a call that succeeds first time counts 0).',
        labelNames: ['operation'],
        registers: [registry],
      }),
  );
  return { recordRetry: (operation) => retries.inc({ operation }) };
}
