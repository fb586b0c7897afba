/**
 * One Prometheus registry per service process, with the Node.js process metrics (CPU, memory, event loop lag,
 * GC) and a `service` label on every series, so one Prometheus can scrape all services side by side.
 */
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

export interface MetricsRegistryOptions {
  /** Added as the `service` label to every series, e.g. `order-service`. */
  service: string;
  /** Node.js process metrics. Default true. */
  processMetrics?: boolean;
}

export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * The metric already registered under `name`, or a new one. Registering a name twice throws in prom-client, and
 * a process can legitimately build the same metrics twice (two consumers, two relays), so factories share them.
 */
export function registeredMetric<M extends Metric>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}
