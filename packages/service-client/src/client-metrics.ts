/**
 * Reports a service client's resilience in Prometheus: its breaker's state and transitions, and its retries — the
 * numbers an operator looks at to see that a downstream is failing and that the caller has stopped hammering it.
 */
import { circuitBreakerMetrics, retryMetrics, type Registry } from '@shop/telemetry';
import type { ServiceClient } from './client';

export function reportClientMetrics(registry: Registry, clients: readonly ServiceClient[]): void {
  const breakers = circuitBreakerMetrics(registry);
  const retries = retryMetrics(registry);
  for (const client of clients) {
    breakers.setState(client.name, client.breaker.state);
    client.breaker.onStateChange((change) => breakers.onStateChange({ ...change, breaker: client.name }));
    client.onRetry(() => retries.recordRetry(client.name));
  }
}
