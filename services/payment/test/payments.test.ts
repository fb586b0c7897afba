import { validateEvent } from '@shop/contracts';
import type { ServiceApp } from '@shop/service-kit';
import { testEngines, type TestDatabase } from '@shop/testing';
import { countRows, migratedDatabase, outboxEvents, pay, paymentBody, testApp } from './fixtures';
import { PaymentProviderUnavailableError } from '../src/provider/payment-provider';
import type { SimulatedPaymentProvider } from '../src/provider/simulated-provider';

describe.each(testEngines())('payment API on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;
  let provider: SimulatedPaymentProvider;
  let wakes: number;

  beforeEach(async () => {
    db = await migratedDatabase(engine);
    wakes = 0;
    ({ app, provider } = await testApp(db, { onEventsCommitted: () => wakes++ }));
  });
  afterEach(async () => {
    await app.close();
    await db.close();
  });

  it('captures a payment (201 + Location), serves it by id and by order, and enqueues PaymentCaptured', async () => {
    const body = paymentBody();
    const before = db.counters();
    const response = await pay(app, body);
    expect(response.statusCode).toBe(201);
    // BEGIN, the key's claim, the pending payment, then the decision with its stored response and event, COMMIT.
    const after = db.counters();
    expect([after.roundTrips - before.roundTrips, after.transactions - before.transactions]).toEqual([5, 1]);
    const payment = response.json();
    expect(payment).toMatchObject({
      orderId: body.orderId,
      customerId: 'customer-1',
      amount: 4999,
      currency: 'EUR',
      paymentMethod: 'tok_visa',
      status: 'captured',
      declineReason: null,
      refund: null,
    });
    expect(payment.providerReference).toMatch(/^sim_ch_/);
    expect(response.headers.location).toBe(`/payments/${payment.id}`);
    expect(response.headers['idempotent-replayed']).toBeUndefined();

    expect((await app.inject(`/payments/${payment.id}`)).json()).toEqual(payment);
    expect((await app.inject(`/payments?orderId=${body.orderId}`)).json()).toEqual({ payments: [payment] });
    expect((await app.inject('/payments?orderId=unknown-order')).json()).toEqual({ payments: [] });

    const events = await outboxEvents(db);
    expect(events.map((event) => event.event_type)).toEqual(['PaymentCaptured']);
    expect(validateEvent(events[0]!.envelope)).toMatchObject({ ok: true });
    expect(events[0]!.envelope).toMatchObject({
      aggregateId: payment.id,
      aggregateVersion: 1,
      data: { paymentId: payment.id, orderId: body.orderId, amount: { amountMinor: 4999, currency: 'EUR' } },
    });
    expect(wakes).toBe(1);
  });

  it.each([
    ['tok_declined', 'card_declined'],
    ['tok_insufficient_funds', 'insufficient_funds'],
    ['tok_expired_card', 'expired_card'],
    ['tok_fraudulent', 'fraud_suspected'],
  ])('declines %s with 402 %s, records the payment and enqueues PaymentDeclined', async (token, reason) => {
    const body = paymentBody({ paymentMethod: token });
    const response = await pay(app, body);
    expect(response.statusCode).toBe(402);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem).toMatchObject({
      status: 402,
      title: 'Payment declined',
      reason,
      orderId: body.orderId,
      instance: '/payments',
    });
    expect(problem.type).toMatch(/payment-declined$/);

    const stored = (await app.inject(`/payments/${problem.paymentId}`)).json();
    expect(stored).toMatchObject({ status: 'declined', declineReason: reason, providerReference: null });
    const events = await outboxEvents(db);
    expect(events.map((event) => event.event_type)).toEqual(['PaymentDeclined']);
    expect(events[0]!.envelope.data).toMatchObject({ paymentId: problem.paymentId, reason });
    expect(validateEvent(events[0]!.envelope)).toMatchObject({ ok: true });
  });

  it('lets a declined order be paid with another card, but never charges an order twice', async () => {
    const body = paymentBody({ paymentMethod: 'tok_declined' });
    expect((await pay(app, body)).statusCode).toBe(402);
    const paid = await pay(app, { ...body, paymentMethod: 'tok_visa' });
    expect(paid.statusCode).toBe(201);

    const callsBefore = provider.calls.charge;
    const again = await pay(app, { ...body, paymentMethod: 'tok_mastercard' });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ orderId: body.orderId, paymentId: paid.json().id });
    expect(again.json().type).toMatch(/order-already-paid$/);
    expect(provider.calls.charge).toBe(callsBefore); // refused before reaching the provider

    const listed = (await app.inject(`/payments?orderId=${body.orderId}`)).json().payments;
    expect(listed.map((payment: { status: string }) => payment.status)).toEqual(['declined', 'captured']);
    expect(await countRows(db, 'outbox', `event_type = 'PaymentCaptured'`)).toBe(1);
  });

  it('answers a provider outage with 503, records nothing, and lets the same key succeed later', async () => {
    const body = paymentBody({ paymentMethod: 'tok_provider_unavailable' });
    const response = await pay(app, body, 'key-outage');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['retry-after']).toBe('1');
    expect(await countRows(db, 'payments')).toBe(0);
    expect(await countRows(db, 'idempotency_keys')).toBe(0);
    expect(await countRows(db, 'outbox')).toBe(0);
    expect(wakes).toBe(0);

    // The outage is over: the same key and body charge now (the failed attempt left no record to replay).
    const working = paymentBody({ orderId: body.orderId });
    const charge = jest
      .spyOn(provider, 'charge')
      .mockRejectedValueOnce(new PaymentProviderUnavailableError('timed out'));
    expect((await pay(app, working, 'key-retry')).statusCode).toBe(503);
    expect((await pay(app, working, 'key-retry')).statusCode).toBe(201);
    expect(charge).toHaveBeenCalledTimes(2);
    expect(await countRows(db, 'payments')).toBe(1);
  });

  it('refunds a captured payment once: repeats return the same refund and one PaymentRefunded', async () => {
    const payment = (await pay(app, paymentBody())).json();
    const first = await app.inject({
      method: 'POST',
      url: `/payments/${payment.id}/refunds`,
      payload: { reason: 'order cancelled' },
    });
    expect(first.statusCode).toBe(201);
    const refund = first.json();
    expect(refund).toMatchObject({ paymentId: payment.id, amount: 4999, currency: 'EUR', reason: 'order cancelled' });
    expect(refund.providerReference).toMatch(/^sim_re_/);

    const second = await app.inject({
      method: 'POST',
      url: `/payments/${payment.id}/refunds`,
      payload: { reason: 'order cancelled' },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(refund);
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.inject({ method: 'POST', url: `/payments/${payment.id}/refunds`, payload: {} }),
      ),
    );
    expect(concurrent.map((response) => response.statusCode)).toEqual(Array(5).fill(200));
    expect(concurrent.map((response) => response.json())).toEqual(Array(5).fill(refund));

    expect((await app.inject(`/payments/${payment.id}`)).json()).toMatchObject({ status: 'refunded', refund });
    expect(provider.calls.refund).toBe(1);
    const refunded = (await outboxEvents(db)).filter((event) => event.event_type === 'PaymentRefunded');
    expect(refunded).toHaveLength(1);
    expect(refunded[0]!.envelope).toMatchObject({
      aggregateVersion: 2,
      data: { paymentId: payment.id, reason: 'order cancelled' },
    });
    expect(validateEvent(refunded[0]!.envelope)).toMatchObject({ ok: true });
  });

  it('lets exactly one of concurrent first refunds create the refund', async () => {
    const payment = (await pay(app, paymentBody())).json();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.inject({ method: 'POST', url: `/payments/${payment.id}/refunds`, payload: {} }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect(await countRows(db, 'refunds')).toBe(1);
    expect(await countRows(db, 'outbox', `event_type = 'PaymentRefunded'`)).toBe(1);
  });

  it('refuses to refund a declined payment (409) and an unknown one (404)', async () => {
    const declined = (await pay(app, paymentBody({ paymentMethod: 'tok_declined' }))).json();
    const response = await app.inject({ method: 'POST', url: `/payments/${declined.paymentId}/refunds`, payload: {} });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 409, paymentId: declined.paymentId });
    expect(response.json().type).toMatch(/payment-not-refundable$/);

    const unknown = await app.inject({
      method: 'POST',
      url: '/payments/0190a0a0-0000-7000-8000-000000000000/refunds',
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(await countRows(db, 'refunds')).toBe(0);
  });

  it('answers every bad request with a problem naming the fields', async () => {
    const invalid = await pay(app, {
      orderId: '',
      amount: 19.99,
      currency: 'eur',
      paymentMethod: 'tok_visa',
      extra: 1,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['content-type']).toContain('application/problem+json');
    expect(
      invalid
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['body.amount', 'body.currency', 'body.customerId', 'body.extra', 'body.orderId']);
    expect((await pay(app, paymentBody({ amount: 0 }))).statusCode).toBe(400);
    expect((await pay(app, paymentBody({ amount: '4999' }))).statusCode).toBe(400);

    const unknown = await app.inject('/payments/0190a0a0-0000-7000-8000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const malformed = await app.inject('/payments/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    const noOrder = await app.inject('/payments');
    expect(noOrder.statusCode).toBe(400);
    expect(noOrder.headers['content-type']).toContain('application/problem+json');
    const badRefund = await app.inject({
      method: 'POST',
      url: '/payments/0190a0a0-0000-7000-8000-000000000000/refunds',
      payload: { amount: 1 },
    });
    expect(badRefund.statusCode).toBe(400);
    expect(await countRows(db, 'payments')).toBe(0);
  });

  it('serves the OpenAPI document and Swagger UI at /docs', async () => {
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
    const spec = (await app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/payments', '/payments/{id}', '/payments/{id}/refunds']),
    );
    expect((await app.inject('/health/ready')).statusCode).toBe(200);
  });
});
