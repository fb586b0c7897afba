/**
 * The auto-instrumentations every service runs with. They patch modules as they are first `require`d, which is
 * why the telemetry bootstrap must run before the service's own code (see `register.ts`).
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/**
 * Probes, scrapes and the operator views (the learner's console reads `/operator/*` and `/admin/faults` every
 * second): a trace each would bury the traces people want to read.
 */
export function isHousekeepingPath(path: string): boolean {
  return (
    path === '/metrics' ||
    path.startsWith('/health/') ||
    path.startsWith('/operator/') ||
    path.startsWith('/admin/') ||
    path === '/favicon.ico'
  );
}

export function defaultInstrumentations(): Instrumentation[] {
  return [
    // Server spans for incoming requests and client spans for `node:http` calls; injects/extracts traceparent.
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request) => isHousekeepingPath(new URL(request.url ?? '/', 'http://x').pathname),
    }),
    // `fetch` (undici) client spans: the resilient service client calls downstream services with fetch.
    new UndiciInstrumentation(),
    // The Fastify team's instrumentation: names the server span after the route (`GET /orders/:id`) and adds a
    // request span. It plugs itself into every Fastify instance created after start (diagnostics channel).
    // Hook and handler spans are off: each service has several hooks and they would crowd the waterfall.
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      instrumentHandler: false,
      ignorePaths: ({ url }) => isHousekeepingPath(url),
    }) as unknown as Instrumentation,
    // Queries on node-postgres; only inside a request or job, not the pool's own background queries.
    new PgInstrumentation({ requireParentSpan: true }),
    // SNS/SQS calls (one span per API call, not the HTTP request underneath).
    new AwsInstrumentation({ suppressInternalInstrumentation: true }),
  ];
}
