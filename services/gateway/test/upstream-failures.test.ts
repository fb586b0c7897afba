/**
 * An upstream that is down or slow never makes the gateway hang: no connection → 503 at once, no answer within the
 * timeout → 504, and after a run of failures the circuit opens and answers 503 without calling the upstream, until
 * the open period ends and a trial call finds it back.
 */
import type { FakeClock } from '@shop/clock';
import type { GatewayApp } from '../src/app';
import { eventually } from '@shop/testing';
import { FakeUpstream } from './support/fake-upstream';
import {
  BREAKER_OPEN_MS,
  CUSTOMER,
  customer,
  OTHER_CUSTOMER,
  PASSWORD_UPSTREAM_TIMEOUT_MS,
  startGateway,
  UPSTREAM_TIMEOUT_MS,
} from './support/gateway';

describe('gateway when an upstream fails', () => {
  let inventory: FakeUpstream;
  let app: GatewayApp;
  let clock: FakeClock;

  beforeEach(async () => {
    inventory = await new FakeUpstream().start();
    ({ app, clock } = await startGateway({ inventory: inventory.url }));
  });
  afterEach(async () => {
    await app.close();
    await inventory.stop();
  });

  const browse = () => app.inject({ url: '/api/products', headers: customer() });

  it('answers 503 fast while the process is stopped, opens the circuit, and recovers when it returns', async () => {
    expect((await browse()).statusCode).toBe(200);
    await inventory.stop();

    // Connection refused: a 503 problem at once (well within the timeout), with Retry-After.
    for (let i = 0; i < 5; i++) {
      const startedAt = Date.now();
      const response = await browse();
      expect(Date.now() - startedAt).toBeLessThan(UPSTREAM_TIMEOUT_MS);
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({
        type: expect.stringMatching(/upstream-unavailable$/),
        upstream: 'inventory-service',
      });
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect(app.upstreams.inventory.breaker.state).toBe('open');

    // The process is back, but the circuit is open: answered at once, and the upstream sees nothing.
    await inventory.start();
    inventory.received.length = 0;
    const fastFail = await browse();
    expect(fastFail.statusCode).toBe(503);
    expect(fastFail.json().detail).toMatch(/circuit open/);
    expect(fastFail.headers['retry-after']).toBe(String(BREAKER_OPEN_MS / 1_000));
    expect(inventory.received).toHaveLength(0);

    await clock.advance(BREAKER_OPEN_MS / 2);
    expect((await browse()).headers['retry-after']).toBe(String(BREAKER_OPEN_MS / 2 / 1_000));
    expect(inventory.received).toHaveLength(0);

    // Open period over: the trial call reaches the upstream, succeeds and closes the circuit.
    await clock.advance(BREAKER_OPEN_MS / 2);
    expect((await browse()).statusCode).toBe(200);
    expect(app.upstreams.inventory.breaker.state).toBe('closed');
    expect(inventory.received).toHaveLength(1);
  });

  it('answers 504 when the upstream does not answer within the timeout, counting it against the circuit', async () => {
    inventory.hang();
    const pending = browse();
    await clock.waitForTimer((timer) => timer.delayMs >= UPSTREAM_TIMEOUT_MS);
    await clock.advance(UPSTREAM_TIMEOUT_MS + 1);
    const response = await pending;
    expect(response.statusCode).toBe(504);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json()).toMatchObject({
      type: expect.stringMatching(/upstream-timeout$/),
      upstream: 'inventory-service',
    });
    expect(app.upstreams.inventory.breaker.metrics().failures).toBe(1);
  });

  it('gives the routes that hash a password their own, longer limit (scrypt is slow on purpose)', async () => {
    const users = await new FakeUpstream().start();
    const gateway = await startGateway({ users: users.url });
    try {
      users.hang();
      const signIn = gateway.app.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: { email: 'ada@example.com', password: 'correct horse battery' },
      });
      const timer = await gateway.clock.waitForTimer((pending) => pending.delayMs >= UPSTREAM_TIMEOUT_MS);
      expect(timer.delayMs).toBe(PASSWORD_UPSTREAM_TIMEOUT_MS);
      // Past the ordinary limit the sign-in is still waiting for the user service…
      await gateway.clock.advance(UPSTREAM_TIMEOUT_MS + 1);
      // …and gives up only at its own.
      await gateway.clock.advance(PASSWORD_UPSTREAM_TIMEOUT_MS - UPSTREAM_TIMEOUT_MS);
      const response = await signIn;
      expect(response.statusCode).toBe(504);
      expect(response.json().detail).toBe(`user-service did not answer within ${PASSWORD_UPSTREAM_TIMEOUT_MS} ms`);
    } finally {
      await gateway.app.close();
      await users.stop();
    }
  });

  it('gives an order read that prefers to wait its wait on top of the limit, and passes the preference on', async () => {
    const orders = await new FakeUpstream().start();
    const gateway = await startGateway({ orders: orders.url });
    try {
      orders.hang();
      const read = gateway.app.inject({ url: '/api/orders/o-1', headers: { ...customer(), prefer: 'wait=5' } });
      const timer = await gateway.clock.waitForTimer((pending) => pending.delayMs >= UPSTREAM_TIMEOUT_MS);
      expect(timer.delayMs).toBe(UPSTREAM_TIMEOUT_MS + 5_000);
      await eventually(() => expect(orders.received[0]?.headers.prefer).toBe('wait=5'));
      await gateway.clock.advance(UPSTREAM_TIMEOUT_MS + 5_000);
      expect((await read).statusCode).toBe(504);
    } finally {
      await gateway.app.close();
      await orders.stop();
    }
  });

  it('passes 5xx answers through and opens the circuit after five 503s in a row; a 4xx or a 500 never counts', async () => {
    inventory.respond = (_request, reply) => reply.code(404).send({ status: 404 });
    for (let i = 0; i < 10; i++) expect((await browse()).statusCode).toBe(404);
    expect(app.upstreams.inventory.breaker.state).toBe('closed');

    inventory.respond = (_request, reply) => reply.code(500).send({ status: 500 });
    for (let i = 0; i < 10; i++) expect((await browse()).statusCode).toBe(500);
    expect(app.upstreams.inventory.breaker.state).toBe('closed');

    inventory.respond = (_request, reply) => reply.code(503).send({ status: 503 });
    for (let i = 0; i < 5; i++) expect((await browse()).statusCode).toBe(503);
    expect(app.upstreams.inventory.breaker.state).toBe('open');
    expect((await browse()).json().detail).toMatch(/circuit open/);
    expect(inventory.received).toHaveLength(25);
  });

  it('opens on 502 and 504 answers too: a proxy in front of the upstream saying it is unavailable', async () => {
    let status = 502;
    inventory.respond = (_request, reply) => reply.code(status).send({ status });
    for (let i = 0; i < 2; i++) expect((await browse()).statusCode).toBe(502);
    status = 504;
    for (let i = 0; i < 3; i++) expect((await browse()).statusCode).toBe(504);
    expect(app.upstreams.inventory.breaker.state).toBe('open');
  });

  // The attack of issue #16: a request that makes the upstream fail (a 500) must not become everyone's outage.
  it("keeps the circuit closed through one client's 100 requests answered 500; another client browses", async () => {
    inventory.respond = (request, reply) =>
      request.url.includes('POISON')
        ? reply.code(500).send({ status: 500, title: 'Internal server error' })
        : { ok: true };
    const attacker = customer(CUSTOMER);
    for (let i = 0; i < 100; i++) {
      const response = await app.inject({ url: '/api/products/POISON', headers: attacker });
      expect(response.statusCode).toBe(500); // passed through: the client sees what the upstream said
    }
    expect(app.upstreams.inventory.breaker.state).toBe('closed');
    expect(app.upstreams.inventory.breaker.metrics().failures).toBe(0);

    const other = await app.inject({ url: '/api/products', headers: customer(OTHER_CUSTOMER) });
    expect(other.statusCode).toBe(200);
    expect(inventory.received).toHaveLength(101);
  });

  it('keeps one circuit per upstream: orders failing does not stop browsing', async () => {
    for (let i = 0; i < 5; i++) await app.inject({ url: '/api/orders', headers: customer() }); // nothing listens
    expect(app.upstreams.orders.breaker.state).toBe('open');
    expect((await browse()).statusCode).toBe(200);
  });
});
