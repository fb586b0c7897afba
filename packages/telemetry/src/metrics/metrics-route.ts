/** `GET /metrics` in the Prometheus text format, hidden from the OpenAPI document. */
import type { FastifySchema } from 'fastify';
import type { Registry } from 'prom-client';
import type { AnyFastifyInstance } from './http-metrics';

// `hide` is read by @fastify/swagger (service-kit's /docs); this package does not depend on its types.
const hiddenFromDocs = { hide: true } as FastifySchema;

export function registerMetricsRoute(app: AnyFastifyInstance, registry: Registry, path = '/metrics'): void {
  app.get(path, { schema: hiddenFromDocs }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
