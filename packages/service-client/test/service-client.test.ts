import { FakeClock } from '@shop/clock';
import { BrokenCircuitError, CircuitState, TimeoutError, constantBackoff } from '@shop/resilience';
import {
  ServiceError,
  ServiceNetworkError,
  createServiceClient,
  isTransientFailure,
  type ServiceClientOptions,
} from '../src';
import { problem, startScriptedServer, type ScriptedServer } from './scripted-server';

let server: ScriptedServer;
let clock: FakeClock;

beforeEach(async () => {
  server = await startScriptedServer();
  clock = new FakeClock();
});

afterEach(() => server.close());

function client(options: Partial<ServiceClientOptions> = {}) {
  return createServiceClient({
    name: 'inventory',
    baseUrl: server.baseUrl,
    clock,
    retry: { backoff: constantBackoff(100) },
    ...options,
  });
}

/** Lets a retry's wait elapse on the fake clock once it has been scheduled. */
async function elapseWait(delayMs: number): Promise<void> {
  await clock.waitForTimer((t) => t.delayMs === delayMs);
  await clock.advance(delayMs);
}

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

describe('service client: success', () => {
  it('sends and receives JSON, with query, headers from the hook and the call', async () => {
    server.respond({ status: 201, body: { id: 'r-1' } });
    const inventory = client({ headers: () => ({ traceparent: '00-abc-def-01' }) });
    const created = await inventory.post<{ id: string }>(
      '/reservations',
      { sku: 'A', qty: 2 },
      { query: { dryRun: false, skip: undefined }, headers: { 'x-extra': 'yes' } },
    );
    expect(created).toEqual({ id: 'r-1' });
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/reservations?dryRun=false', body: { sku: 'A', qty: 2 } });
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      traceparent: '00-abc-def-01',
      'x-extra': 'yes',
    });
  });

  it('returns undefined for an empty 204', async () => {
    server.respond({ status: 204 });
    await expect(client().delete('/reservations/r-1')).resolves.toBeUndefined();
  });
});

describe('service client: business failures (4xx)', () => {
  it('maps a 400 problem+json to a ServiceError and never retries it', async () => {
    server.respond(problem(400, 'https://shop.example/problems/validation', 'Invalid request', 'qty must be > 0'));
    const inventory = client();
    const error = await failureOf(inventory.get('/reservations/bad'));
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      status: 400,
      type: 'https://shop.example/problems/validation',
      title: 'Invalid request',
      detail: 'qty must be > 0',
      isTransient: false,
      service: 'inventory',
    });
    expect(isTransientFailure(error)).toBe(false);
    expect(server.received).toHaveLength(1);
    expect(inventory.breaker.metrics()).toMatchObject({ calls: 1, failures: 0 });
  });

  it('maps a 409 to a ServiceError callers can branch on, not counted by the breaker', async () => {
    const inventory = client({ breaker: { minimumCalls: 2 } });
    for (let i = 0; i < 3; i++)
      server.respond(problem(409, 'https://shop.example/problems/out-of-stock', 'Out of stock'));
    for (let i = 0; i < 3; i++) {
      const error = await failureOf(inventory.put('/reservations/r-1', { qty: 5 }));
      expect((error as ServiceError).type).toBe('https://shop.example/problems/out-of-stock');
    }
    expect(server.received).toHaveLength(3);
    expect(inventory.breaker.state).toBe(CircuitState.Closed);
  });
});

describe('service client: transient failures', () => {
  it('waits the Retry-After of a 503 (2 s, on the fake clock) instead of the backoff', async () => {
    server.respond({ status: 503, headers: { 'retry-after': '2' }, body: { title: 'busy' } }, { body: { id: 7 } });
    const result = client().get('/stock/7');
    await clock.waitForTimer((t) => t.delayMs === 2_000);
    expect(clock.pendingTimers().some((t) => t.delayMs === 100)).toBe(false); // not the backoff
    await clock.advance(1_999);
    expect(server.received).toHaveLength(1);
    await clock.advance(1);
    await expect(result).resolves.toEqual({ id: 7 });
    expect(server.received).toHaveLength(2);
    expect(clock.now()).toBe(2_000);
  });

  it('retries a 429 with Retry-After, but not one without', async () => {
    server.respond({ status: 429, headers: { 'retry-after': '1' } }, { body: { ok: 1 } });
    const inventory = client();
    const result = inventory.get('/stock');
    await elapseWait(1_000);
    await expect(result).resolves.toEqual({ ok: 1 });

    server.respond({ status: 429 });
    const error = await failureOf(inventory.get('/stock'));
    expect(error).toMatchObject({ status: 429, isTransient: true });
    expect(server.received).toHaveLength(3);
    expect(inventory.breaker.metrics().failures).toBe(0); // 429 is about us, not their health
  });

  it('retries 502/503/504 with backoff, then gives up with the last ServiceError', async () => {
    server.respond({ status: 502 }, { status: 504 }, { status: 503 });
    const result = failureOf(client().get('/stock'));
    await elapseWait(100);
    await elapseWait(100);
    const error = await result;
    expect(error).toMatchObject({ status: 503, isTransient: true });
    expect(server.received).toHaveLength(3); // maxAttempts 3 includes the first call
  });

  it('times out a hanging attempt, aborting the request', async () => {
    server.respond({ hang: true });
    const result = failureOf(client({ timeoutMs: 1_000, retry: false }).get('/slow'));
    await clock.waitForTimer();
    await clock.advance(1_000);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isTransientFailure(error)).toBe(true);
  });

  it('retries after a timed-out attempt and succeeds', async () => {
    server.respond({ hang: true }, { body: { ok: true } });
    const result = client({ timeoutMs: 1_000 }).get('/slow-then-fast');
    await clock.waitForTimer((t) => t.delayMs === 1_000);
    await clock.advance(1_000);
    await elapseWait(100);
    await expect(result).resolves.toEqual({ ok: true });
  });

  it('wraps connection failures in ServiceNetworkError and retries them', async () => {
    const { baseUrl } = server;
    await server.close();
    const result = failureOf(client({ baseUrl }).get('/stock'));
    await elapseWait(100);
    await elapseWait(100);
    const error = await result;
    expect(error).toBeInstanceOf(ServiceNetworkError);
    server = await startScriptedServer(); // afterEach closes it
  });

  it('stops retrying at once when the caller aborts during the backoff', async () => {
    server.respond({ status: 503 }, { status: 503 });
    const controller = new AbortController();
    const result = failureOf(client().get('/stock', { signal: controller.signal }));
    await clock.waitForTimer((t) => t.delayMs === 100);
    controller.abort(new Error('order cancelled'));
    expect(await result).toEqual(new Error('order cancelled'));
    await clock.advance(10_000);
    expect(server.received).toHaveLength(1);
  });
});

describe('service client: idempotency', () => {
  it('sends Idempotency-Key and retries a POST that carries one', async () => {
    server.respond({ status: 503 }, { status: 201, body: { id: 'p-1' } });
    const result = client().post('/payments', { amount: 10 }, { idempotencyKey: 'order-1:payment' });
    await elapseWait(100);
    await expect(result).resolves.toEqual({ id: 'p-1' });
    expect(server.received.map((r) => r.headers['idempotency-key'])).toEqual(['order-1:payment', 'order-1:payment']);
  });

  it('never retries a POST without an idempotency key', async () => {
    server.respond({ status: 503 });
    const error = await failureOf(client().post('/payments', { amount: 10 }));
    expect(error).toMatchObject({ status: 503 });
    expect(server.received).toHaveLength(1);
  });
});

describe('service client: circuit breaker', () => {
  it('opens after repeated 502/503/504, then fails fast with BrokenCircuitError without calling the service', async () => {
    const inventory = client({ retry: false, breaker: { minimumCalls: 3, openDurationMs: 30_000 } });
    server.respond({ status: 502 }, { status: 503 }, { status: 504 });
    for (let i = 0; i < 3; i++) await failureOf(inventory.get('/stock'));
    expect(inventory.breaker.state).toBe(CircuitState.Open);
    const error = await failureOf(inventory.get('/stock'));
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect((error as BrokenCircuitError).retryAfterMs).toBe(30_000);
    expect(isTransientFailure(error)).toBe(true);
    expect(server.received).toHaveLength(3);

    await clock.advance(30_000);
    await expect(inventory.get('/stock')).resolves.toEqual({ ok: true });
    expect(inventory.breaker.state).toBe(CircuitState.Closed);
  });

  it('opens when the service stops answering: connections refused', async () => {
    const inventory = client({ retry: false, breaker: { minimumCalls: 3, openDurationMs: 30_000 } });
    await server.close();
    for (let i = 0; i < 3; i++) expect(await failureOf(inventory.get('/stock'))).toBeInstanceOf(ServiceNetworkError);
    expect(inventory.breaker.state).toBe(CircuitState.Open);
  });

  // One caller's bad requests must not switch the service off for every other caller (issue #16).
  it("stays closed through one caller's 100 requests answered 500, and serves another caller", async () => {
    const inventory = client({ breaker: { minimumCalls: 5, consecutiveFailures: 5, openDurationMs: 30_000 } });
    server.respond(
      ...Array.from({ length: 100 }, () => problem(500, 'https://shop.example/problems/internal-error', 'Internal')),
    );
    for (let i = 0; i < 100; i++) {
      const error = await failureOf(inventory.get('/stock/poisoned'));
      expect(error).toMatchObject({ status: 500 });
    }
    expect(server.received).toHaveLength(100); // a 500 is not retried either
    expect(inventory.breaker.state).toBe(CircuitState.Closed);
    expect(inventory.breaker.metrics()).toMatchObject({ calls: 20, failures: 0 });

    await expect(inventory.get('/stock')).resolves.toEqual({ ok: true });
  });

  it('counts no 4xx either: 400, 404, 409, 422 and 429 leave it closed', async () => {
    const inventory = client({ retry: false, breaker: { minimumCalls: 5, consecutiveFailures: 5 } });
    const statuses = [400, 404, 409, 422, 429];
    server.respond(...statuses.flatMap((status) => [{ status }, { status }]));
    for (let i = 0; i < statuses.length * 2; i++) await failureOf(inventory.get('/stock'));
    expect(inventory.breaker.state).toBe(CircuitState.Closed);
    expect(inventory.breaker.metrics().failures).toBe(0);
  });
});
