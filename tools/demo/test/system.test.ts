import { setFaults } from '@shop/testing';
/**
 * The whole system, as `pnpm demo --once` runs it, inside the test suite: six service processes on free ports,
 * local-aws and the trace collector. It runs every narrated scenario, then checks what the observability issue
 * promises: one trace across every hop (REST and SNS/SQS), logs joined to it, breaker state in /metrics.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderWaterfall, type CollectedSpan } from '@shop/telemetry';
import { GatewayClient } from '../src/gateway-client';
import { Narrator } from '../src/narrator';
import { runScenarios } from '../src/run-scenarios';
import { scenarios } from '../src/scenarios';
import { followOrder, newCustomer, placeOrder } from '../src/shop-actions';
import { startSystem, type RunningSystem } from '../src/system';
import type { ScenarioContext } from '../src/scenario';

const repoRoot = join(__dirname, '..', '..', '..');

/** The services' warnings and errors (pino levels ≥ 40), last ones first per file: what a failed wait explains itself with. */
async function warningsInLogs(logDir: string): Promise<string> {
  const lines: string[] = [];
  for (const file of await readdir(logDir)) {
    const warnings = (await readFile(join(logDir, file), 'utf8'))
      .split('\n')
      .filter((line) => /"level":(4|5|6)0/.test(line))
      .slice(-15);
    if (warnings.length > 0) lines.push(`${file}:`, ...warnings.map((line) => `  ${line.slice(0, 400)}`));
  }
  return lines.length > 0
    ? `warnings and errors in the services' logs:\n${lines.join('\n')}`
    : 'no warnings in the logs';
}

describe('the whole system (six processes, local-aws, trace collector)', () => {
  let system: RunningSystem;
  let dataDir: string;
  const output: string[] = [];
  let context: ScenarioContext;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shop-system-'));
    system = await startSystem({
      repoRoot,
      ports: 'dynamic',
      dataDir,
      keepData: false,
      onProgress: () => undefined,
      // Six processes starting at once on a loaded CI machine can take minutes: be generous.
      startupTimeoutMs: 300_000,
      // CI runs other suites beside this one on two cores: give calls room, so a slow moment is not a failure.
      // (Scenario 4's payment fault still outlasts these timeouts by far.)
      extraEnv: {
        gateway: { UPSTREAM_TIMEOUT_MS: '15000' },
        order: { PARTICIPANT_TIMEOUT_MS: '2500', SAGA_STEP_TIMEOUT_MS: '10000' },
      },
    });
    const out = new Narrator((line) => output.push(line));
    context = { gateway: new GatewayClient(system.gatewayUrl, out), out, system };
  }, 360_000);

  afterAll(async () => {
    await system?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('passes every demo scenario (what `pnpm demo --once` runs)', async () => {
    const outcomes = await runScenarios(scenarios, context);
    const failed = outcomes.filter((outcome) => outcome.status !== 'passed');
    if (failed.length > 0) console.log(output.join('\n'));
    expect(failed.map((outcome) => `${outcome.scenario.id}: ${outcome.error}`)).toEqual([]);
  }, 240_000);

  describe('one placed order, observed', () => {
    let orderId: string;
    let spans: CollectedSpan[];

    beforeAll(async () => {
      const customer = await newCustomer(context, 'Tracy');
      const order = await placeOrder(context, customer, [{ sku: 'MUG-CLASSIC', quantity: 1 }]);
      orderId = order.id;
      await followOrder(context, customer, orderId, ['CONFIRMED', 'SHIPPED', 'DELIVERED']);
      spans = await system.collector
        .waitForTrace(order.traceId!, {
          services: [
            'gateway',
            'order-service',
            'inventory-service',
            'payment-service',
            'shipping-service',
            'user-service',
          ],
          // Past the outbox relay's longest backoff (30 s): the scenarios before this one fault services, kill the
          // order service and send poison messages, and a relay that met failures may still be waiting out one.
          timeoutMs: 40_000,
        })
        .catch(async (error: Error) => {
          throw new Error(`${error.message}\n${await warningsInLogs(join(dataDir, 'logs'))}`);
        });
      // The user service handles OrderConfirmed a moment after the order reads CONFIRMED, and each process exports
      // its spans in its own batches: wait for both ends of that hop.
      const has = (service: string, name: string) => spans.some((s) => s.service === service && s.name === name);
      const deadline = Date.now() + 10_000;
      while (
        !(has('order-service', 'OrderConfirmed publish') && has('user-service', 'OrderConfirmed process')) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        spans = system.collector.getTrace(order.traceId!) ?? spans;
      }
    }, 120_000);

    const byId = () => new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: CollectedSpan) => (span.parentSpanId ? byId().get(span.parentSpanId) : undefined);
    const find = (service: string, name: string | RegExp) =>
      spans.find(
        (span) => span.service === service && (typeof name === 'string' ? span.name === name : name.test(span.name)),
      );

    it('keeps a single trace id across gateway, order, the participants, the SNS publish and the SQS handler', () => {
      expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
      const gatewayServer = find('gateway', 'POST /api/orders')!;
      const orderServer = find('order-service', 'POST /orders')!;
      expect(gatewayServer.kind).toBe('server');
      // order's server span is the child of the gateway's outgoing call, which is inside the gateway's request.
      const gatewayClient = parentOf(orderServer)!;
      expect(gatewayClient).toMatchObject({ service: 'gateway', kind: 'client' });

      for (const [service, route] of [
        ['inventory-service', 'POST /reservations'],
        ['payment-service', 'POST /payments'],
        ['shipping-service', 'POST /shipments'],
      ] as const) {
        const server = find(service, route)!;
        expect(server).toBeDefined();
        const call = parentOf(server)!;
        expect(call).toMatchObject({ service: 'order-service', kind: 'client' });
        // …made inside a saga step span, which continues the request that placed the order.
        expect(parentOf(call)!.name).toMatch(/^saga place-order \w+ invoke$/);
      }

      const publish = find('order-service', 'OrderConfirmed publish')!;
      expect(publish.kind).toBe('producer');
      const handler = find('user-service', 'OrderConfirmed process')!;
      expect(handler).toMatchObject({ kind: 'consumer', parentSpanId: publish.spanId });
    });

    it('joins logs to traces: the saga step log line carries its span’s trace_id and span_id', async () => {
      const step = find('order-service', 'saga place-order processPayment invoke')!;
      const lines = (await readFile(join(dataDir, 'logs', 'order.log'), 'utf8'))
        .split('\n')
        .filter(
          (line) => line.includes('"saga step invoking"') && line.includes(orderId) && line.includes('processPayment'),
        )
        .map((line) => JSON.parse(line) as { trace_id?: string; span_id?: string });
      expect(lines[0]).toMatchObject({ trace_id: step.traceId, span_id: step.spanId });
    });

    it('renders the real trace as a waterfall, nested by service', () => {
      const rows = renderWaterfall(spans, { width: 140, color: false }).split('\n');
      const indentOf = (service: string, operation: string) => {
        const row = rows.find((line) => line.includes(service) && line.includes(operation));
        expect(row).toBeDefined();
        return row!.search(/\S/);
      };
      const gateway = indentOf('gateway', 'POST /api/orders');
      const order = indentOf('order-service', 'POST /orders');
      const payment = indentOf('payment-service', 'POST /payments');
      const consumer = indentOf('user-service', 'OrderConfirmed process');
      expect(gateway).toBeLessThan(order);
      expect(order).toBeLessThan(payment);
      expect(order).toBeLessThan(consumer);
    });
  });

  it('shows the payment breaker open in /metrics while payment fails, and closed after it recovers', async () => {
    const orderUrl = system.service('order').baseUrl;
    const paymentUrl = system.service('payment').baseUrl;
    const state = async () => {
      const text = await fetch(`${orderUrl}/metrics`).then((r) => r.text());
      return Number(/^circuit_breaker_state\{downstream="payment"[^}]*\} (\d)/m.exec(text)?.[1]);
    };
    const until = async (expected: number) => {
      const deadline = Date.now() + 30_000;
      while ((await state()) !== expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      return state();
    };
    await setFaults(paymentUrl, [{ route: '/payments*', method: 'POST', down: '503' }], {
      headers: system.serviceAuth(),
    });
    const customer = await newCustomer(context, 'Brea');
    const order = await placeOrder(context, customer, [{ sku: 'MUG-CLASSIC', quantity: 1 }]);
    try {
      expect(await until(1)).toBe(1); // open
    } finally {
      await setFaults(paymentUrl, [], { headers: system.serviceAuth() });
    }
    await followOrder(context, customer, order.id, ['CONFIRMED', 'SHIPPED', 'DELIVERED'], 30_000);
    expect(await until(0)).toBe(0); // closed again
  }, 90_000);
});
