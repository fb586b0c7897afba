import type { ServiceApp } from '@shop/service-kit';
import { eventually, itOnEngine, testEngines, type TestDatabase } from '@shop/testing';
import { claimIdempotencyKey } from '../src/idempotency/idempotency-keys';
import { requestFingerprint } from '../src/idempotency/request-fingerprint';
import type { SimulatedPaymentProvider } from '../src/provider/simulated-provider';
import { countRows, migratedDatabase, outboxEvents, pay, paymentBody, testApp } from './fixtures';

describe.each(testEngines())('Idempotency-Key on POST /payments on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;
  let provider: SimulatedPaymentProvider;

  beforeEach(async () => {
    db = await migratedDatabase(engine);
    ({ app, provider } = await testApp(db));
  });
  afterEach(async () => {
    await app.close();
    await db.close();
  });

  const answer = (response: { statusCode: number; body: string }) => ({
    status: response.statusCode,
    body: response.body,
  });

  it('requires the key: 400 problem, nothing charged', async () => {
    const response = await pay(app, paymentBody(), null);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toMatch(/idempotency-key-missing$/);
    expect(provider.calls.charge).toBe(0);
    expect(await countRows(db, 'payments')).toBe(0);
  });

  it('replays the stored response for a sequential repeat, even with the body keys reordered', async () => {
    const body = paymentBody();
    const first = await pay(app, body, 'key-1');
    expect(first.statusCode).toBe(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    for (const repeat of [body, reordered]) {
      const again = await pay(app, repeat, 'key-1');
      expect(answer(again)).toEqual(answer(first));
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
    }
    expect(provider.calls.charge).toBe(1);
    expect(await countRows(db, 'payments')).toBe(1);
    expect((await outboxEvents(db)).map((event) => event.event_type)).toEqual(['PaymentCaptured']);
  });

  it('replays a decline: the same 402 problem, one PaymentDeclined', async () => {
    const body = paymentBody({ paymentMethod: 'tok_insufficient_funds' });
    const first = await pay(app, body, 'key-declined');
    expect(first.statusCode).toBe(402);
    const again = await pay(app, body, 'key-declined');
    expect(answer(again)).toEqual(answer(first));
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(provider.calls.charge).toBe(1);
    expect((await outboxEvents(db)).map((event) => event.event_type)).toEqual(['PaymentDeclined']);
  });

  it('rejects the key reused with a different body with 422, charging nothing more', async () => {
    const body = paymentBody();
    expect((await pay(app, body, 'key-2')).statusCode).toBe(201);
    const other = await pay(app, { ...body, amount: 5000 }, 'key-2');
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().type).toMatch(/idempotency-key-reused$/);
    expect(provider.calls.charge).toBe(1);
    expect(await countRows(db, 'payments')).toBe(1);
  });

  it('gives 20 concurrent identical requests one charge, one payment, one PaymentCaptured and 20 identical answers', async () => {
    const body = paymentBody();
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(app, body, 'key-concurrent')));
    const answers = responses.map(answer);
    expect(answers[0]!.status).toBe(201);
    expect(answers).toEqual(Array(20).fill(answers[0]));
    expect(responses.filter((response) => response.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(provider.calls.charge).toBe(1);
    expect(await countRows(db, 'payments')).toBe(1);
    expect(await countRows(db, 'outbox')).toBe(1);
    expect((await outboxEvents(db)).map((event) => event.event_type)).toEqual(['PaymentCaptured']);
  });

  it('gives 20 concurrent identical declined requests one PaymentDeclined and 20 identical 402s', async () => {
    const body = paymentBody({ paymentMethod: 'tok_declined' });
    const answers = (
      await Promise.all(Array.from({ length: 20 }, () => pay(app, body, 'key-concurrent-declined')))
    ).map(answer);
    expect(answers[0]!.status).toBe(402);
    expect(answers).toEqual(Array(20).fill(answers[0]));
    expect(provider.calls.charge).toBe(1);
    expect((await outboxEvents(db)).map((event) => event.event_type)).toEqual(['PaymentDeclined']);
  });

  it('answers concurrent requests with one key and different bodies: the first wins, the others get 422', async () => {
    const body = paymentBody();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => pay(app, i % 2 === 0 ? body : { ...body, amount: 1 + i }, 'key-mixed')),
    );
    const winner = responses.find((response) => response.statusCode === 201)!;
    const winningAmount = winner.json().amount;
    for (const [i, response] of responses.entries()) {
      const sentAmount = i % 2 === 0 ? body.amount : 1 + i;
      expect(response.statusCode).toBe(sentAmount === winningAmount ? 201 : 422);
    }
    expect(await countRows(db, 'payments')).toBe(1);
  });

  // PGlite has one connection and serialises transactions, so a transaction held open by the test would block the
  // request's own transaction rather than its key insert: these two waits can only be observed on Postgres.
  const onPostgres = itOnEngine(engine, 'postgres', 'row locks');

  /** Holds the key row in an open transaction, like a first request still talking to the provider. */
  function holdKey(key: string, body: object): { release(): void; done: Promise<unknown> } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const claimed = db.transaction(async (tx) => {
      await claimIdempotencyKey(tx, {
        key,
        fingerprint: requestFingerprint('POST', '/payments', body),
        now: new Date(),
        waitMs: 1000,
      });
      await released;
      throw new Error('first request crashed'); // roll back: the key row never commits
    });
    return { release, done: claimed.catch(() => undefined) };
  }
  const waitingOnLocks = async () =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    ).rows[0]!.n;

  onPostgres('answers 409 request-in-progress when the first request holds the key longer than the wait', async () => {
    const { app: impatient } = await testApp(db, { idempotencyWaitMs: 100 });
    const body = paymentBody();
    const held = holdKey('key-held', body);
    try {
      await eventually(async () => expect(await countRows(db, 'idempotency_keys')).toBe(0)); // uncommitted: invisible
      const response = await pay(impatient, body, 'key-held');
      expect(response.statusCode).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json().type).toMatch(/request-in-progress$/);
    } finally {
      held.release();
      await held.done;
      await impatient.close();
    }
    expect(await countRows(db, 'payments')).toBe(0);
  });

  it('bounds only the claim’s own wait: the transaction’s later statements keep the lock_timeout they had', async () => {
    const settings = await db.transaction(async (tx) => {
      const lockTimeout = async () =>
        (await tx.query<{ value: string }>(`SELECT current_setting('lock_timeout') AS value`)).rows[0]!.value;
      const before = await lockTimeout();
      const claim = await claimIdempotencyKey(tx, { key: 'key-bound', fingerprint: 'f', now: new Date(), waitMs: 50 });
      return { claim, before, after: await lockTimeout() };
    });
    expect(settings).toEqual({ claim: { kind: 'claimed' }, before: settings.before, after: settings.before });
  });

  onPostgres('lets a waiting duplicate take over when the first request rolls back', async () => {
    const body = paymentBody();
    const held = holdKey('key-takeover', body);
    const waiting = pay(app, body, 'key-takeover');
    await eventually(async () => expect(await waitingOnLocks()).toBe(1));
    held.release();
    await held.done;
    const response = await waiting;
    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
    expect(provider.calls.charge).toBe(1);
  });
});

describe('request fingerprint', () => {
  it('compares bodies by meaning: key order and whitespace do not matter, values, method and path do', () => {
    const fingerprint = requestFingerprint('POST', '/payments', { a: 1, b: { c: [1, 2], d: 'x' } });
    expect(requestFingerprint('post', '/payments', { b: { d: 'x', c: [1, 2] }, a: 1 })).toBe(fingerprint);
    expect(requestFingerprint('POST', '/payments', { a: 1, b: { c: [2, 1], d: 'x' } })).not.toBe(fingerprint);
    expect(requestFingerprint('POST', '/payments', { a: '1', b: { c: [1, 2], d: 'x' } })).not.toBe(fingerprint);
    expect(requestFingerprint('PUT', '/payments', { a: 1, b: { c: [1, 2], d: 'x' } })).not.toBe(fingerprint);
    expect(requestFingerprint('POST', '/refunds', { a: 1, b: { c: [1, 2], d: 'x' } })).not.toBe(fingerprint);
  });
});
