import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { consumerMetrics, dlqDepthMetrics, outboxMetrics } from '../src/metrics/messaging-metrics';
import { registerHttpMetrics } from '../src/metrics/http-metrics';
import { createMetricsRegistry } from '../src/metrics/metrics-registry';
import { registerMetricsRoute } from '../src/metrics/metrics-route';
import { createMetricsServer } from '../src/metrics/metrics-server';
import { circuitBreakerMetrics, retryMetrics } from '../src/metrics/resilience-metrics';
import { databaseMetrics } from '../src/metrics/database-metrics';
import { retentionMetrics } from '../src/metrics/retention-metrics';
import { sagaMetrics } from '../src/metrics/saga-metrics';

let app: FastifyInstance;
let registry: Registry;

beforeEach(async () => {
  registry = createMetricsRegistry({ service: 'order-service' });
  app = Fastify();
  registerHttpMetrics(app, registry);
  registerMetricsRoute(app, registry);
  app.get('/orders/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.post('/orders', async (_request, reply) => reply.code(201).send({ ok: true }));
  await app.ready();
});
afterEach(() => app.close());

async function scrape(): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe(registry.contentType);
  return response.body;
}

describe('GET /metrics', () => {
  it('counts and times requests by method, route template and status', async () => {
    await app.inject({ method: 'GET', url: '/orders/1' });
    await app.inject({ method: 'GET', url: '/orders/2' });
    await app.inject({ method: 'POST', url: '/orders', payload: {} });
    await app.inject({ method: 'GET', url: '/no/such/page' });
    const text = await scrape();

    expect(text).toContain('# TYPE http_server_requests_total counter');
    expect(text).toContain(
      'http_server_requests_total{method="GET",route="/orders/:id",status_code="200",service="order-service"} 2',
    );
    expect(text).toContain(
      'http_server_requests_total{method="POST",route="/orders",status_code="201",service="order-service"} 1',
    );
    // Unknown URLs share one series instead of one per path.
    expect(text).toContain(
      'http_server_requests_total{method="GET",route="(unmatched)",status_code="404",service="order-service"} 1',
    );
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(text).toContain(
      'http_server_request_duration_seconds_count{service="order-service",method="GET",route="/orders/:id",status_code="200"} 2',
    );
    expect(text).toContain('le="+Inf"');
    // The scrape itself is not measured.
    expect(text).not.toContain('route="/metrics"');
  });

  it('includes the Node.js process metrics', async () => {
    const text = await scrape();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="order-service"\} /m);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('exposes the domain metrics other packages feed', async () => {
    const breakers = circuitBreakerMetrics(registry);
    breakers.setState('inventory-service', 'closed');
    breakers.onStateChange({ breaker: 'payment-service', from: 'closed', to: 'open' });
    breakers.onStateChange({ breaker: 'payment-service', from: 'open', to: 'half-open' });
    retryMetrics(registry).recordRetry('payment-service');
    // Built twice in one process (two consumers): the same series, no "already registered" error.
    consumerMetrics(registry).processed('order-events-for-user', 'OrderPlaced');
    consumerMetrics(registry).failed('order-events-for-user', 'OrderPlaced');
    outboxMetrics(registry, async () => ({ pending: 3, oldestAgeSeconds: 1.5 }));
    sagaMetrics(registry, {
      instances: async () => [{ saga: 'place-order', state: 'NEEDS_ATTENTION', count: 1 }],
      slotsBusy: () => 2,
    }).recordRun('place-order', 1.25);
    dlqDepthMetrics(registry, async () => [{ queue: 'user-order-events-dlq', depth: 2 }]);

    const lines = (await scrape()).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'circuit_breaker_state{downstream="inventory-service",service="order-service"} 0',
        'circuit_breaker_state{downstream="payment-service",service="order-service"} 2',
        'circuit_breaker_transitions_total{downstream="payment-service",from="closed",to="open",service="order-service"} 1',
        'circuit_breaker_transitions_total{downstream="payment-service",from="open",to="half-open",service="order-service"} 1',
        'retries_total{operation="payment-service",service="order-service"} 1',
        'consumer_messages_processed_total{queue="order-events-for-user",event_type="OrderPlaced",service="order-service"} 1',
        'consumer_messages_failed_total{queue="order-events-for-user",event_type="OrderPlaced",service="order-service"} 1',
        'outbox_backlog_messages{service="order-service"} 3',
        'outbox_oldest_message_age_seconds{service="order-service"} 1.5',
        'saga_instances{saga="place-order",state="NEEDS_ATTENTION",service="order-service"} 1',
        'saga_worker_slots_busy{service="order-service"} 2',
        'saga_worker_busy_seconds_total{saga="place-order",service="order-service"} 1.25',
        'dlq_depth_messages{queue="user-order-events-dlq",service="order-service"} 2',
      ]),
    );
  });

  it('keeps serving when a scrape-time read fails, and counts the failure (seen from the next scrape)', async () => {
    let depth: Promise<{ queue: string; depth: number }[]> = Promise.resolve([{ queue: 'dlq', depth: 4 }]);
    dlqDepthMetrics(registry, () => depth);
    expect(await scrape()).toContain('dlq_depth_messages{queue="dlq",service="order-service"} 4');

    depth = Promise.reject(new Error('SQS unreachable'));
    expect(await scrape()).toContain('dlq_depth_messages{queue="dlq",service="order-service"} 4');
    const text = await scrape();
    expect(text).toContain('metrics_collect_errors_total{metric="dlq_depth_messages",service="order-service"} 1');
  });
});

describe('retentionMetrics', () => {
  it('reports the rows of every retained table, from every job, and the rows pruned', async () => {
    const inbox = retentionMetrics(registry, async () => [
      { table: 'inbox', rows: 120 },
      { table: 'outbox', rows: 7 },
    ]);
    retentionMetrics(registry, async () => [{ table: 'idempotency_keys', rows: 42 }]);
    inbox.pruned('inbox', 30);
    inbox.pruned('inbox', 5);
    const text = await scrape();
    expect(text).toContain('retained_table_rows{table="inbox",service="order-service"} 120');
    expect(text).toContain('retained_table_rows{table="outbox",service="order-service"} 7');
    expect(text).toContain('retained_table_rows{table="idempotency_keys",service="order-service"} 42');
    expect(text).toContain('retention_pruned_rows_total{table="inbox",service="order-service"} 35');
  });
});

describe('databaseMetrics', () => {
  it("serves the database's round trips and transactions as counters that follow its totals", async () => {
    const counts = { roundTrips: 10, transactions: 2 };
    databaseMetrics(registry, () => counts);
    expect(await scrape()).toContain('db_round_trips_total{service="order-service"} 10');
    counts.roundTrips = 25;
    counts.transactions = 5;
    const text = await scrape();
    expect(text).toContain('db_round_trips_total{service="order-service"} 25');
    expect(text).toContain('db_transactions_total{service="order-service"} 5');
  });
});

describe('createMetricsServer (a listener of its own)', () => {
  it('serves GET /metrics on a port chosen by the OS, nothing else, and closes', async () => {
    const server = createMetricsServer({ registry, port: 0 });
    expect(server.url).toBeUndefined();
    const url = await server.listen();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const scraped = await fetch(url);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get('content-type')).toBe(registry.contentType);
      expect(await scraped.text()).toContain('service="order-service"');
      expect((await fetch(url.replace('/metrics', '/orders/1'))).status).toBe(404);
    } finally {
      await server.close();
    }
    await expect(fetch(url)).rejects.toThrow();
  });
});
