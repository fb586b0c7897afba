/**
 * RED metrics for a Fastify service: request count and duration by method, route template and status.
 * The route label is the template (`/orders/:id`), never the raw URL, so the number of series stays bounded.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';

// Any Fastify instance, whatever its logger or type provider (services use the TypeBox provider).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFastifyInstance = FastifyInstance<any, any, any, any, any>;

const labelNames = ['method', 'route', 'status_code'] as const;

/** Seconds; spans a cache hit (5 ms) to a slow saga request (10 s). */
export const httpDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface HttpMetricsOptions {
  /** Requests not measured. Default: the `/metrics` scrape itself. */
  ignore?: (route: string) => boolean;
}

/** Call before registering routes: hooks added to the root instance cover every route defined afterwards. */
export function registerHttpMetrics(
  app: AnyFastifyInstance,
  registry: Registry,
  options: HttpMetricsOptions = {},
): void {
  const ignore = options.ignore ?? ((route: string) => route === '/metrics');
  const duration = registeredMetric(
    registry,
    'http_server_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_server_request_duration_seconds',
        help: 'Time from receiving an HTTP request to sending the response, by route template.',
        labelNames,
        buckets: httpDurationBuckets,
        registers: [registry],
      }),
  );
  const requests = registeredMetric(
    registry,
    'http_server_requests_total',
    () =>
      new Counter({
        name: 'http_server_requests_total',
        help: 'HTTP requests answered, by route template and status code.',
        labelNames,
        registers: [registry],
      }),
  );

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs (404s) share one label value: a scanner probing random paths must not create series.
    const route: string = request.routeOptions.url ?? '(unmatched)';
    if (ignore(route)) return;
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
