/** The gateway's /metrics as a runService worker: on the internal METRICS_PORT, since the public PORT has none. */
import type { ServiceApp, Worker } from '@shop/service-kit';
import { createMetricsServer } from '@shop/telemetry';

export function metricsListener(app: ServiceApp, { host, port }: { host: string; port: number }): Worker {
  const server = createMetricsServer({ registry: app.metrics, host, port });
  return {
    start: async () => app.log.info({ url: await server.listen() }, 'metrics listening'),
    stop: () => server.close(),
  };
}
