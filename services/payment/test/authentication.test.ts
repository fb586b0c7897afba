// With authentication on (as main.ts runs it): charges and refunds need a service token; reads are the customer's own.
import type { ServiceApp } from '@shop/service-kit';
import { bearer, type TestDatabase } from '@shop/testing';
import { migratedDatabase, pay, paymentBody, testApp } from './fixtures';

const secret = 'test-secret-that-is-at-least-32-characters-long';

describe('payment API with authentication', () => {
  let db: TestDatabase;
  let app: ServiceApp;
  const asCustomer = (customerId: string) => bearer(secret, { sub: customerId, role: 'customer' });
  const asOrderService = () => bearer(secret, { sub: 'order', role: 'service' });

  beforeAll(async () => {
    db = await migratedDatabase('pglite');
    ({ app } = await testApp(db, { authentication: { secret } }));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('answers 401 without a token and 403 to a customer charging or refunding', async () => {
    const anonymous = await pay(app, paymentBody());
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');

    const customer = asCustomer('customer-1');
    const charged = await pay(app, paymentBody(), undefined, customer);
    expect(charged.statusCode).toBe(403);
    expect(charged.headers['content-type']).toContain('application/problem+json');
    const payment = (await pay(app, paymentBody(), undefined, asOrderService())).json();
    const refund = await app.inject({
      method: 'POST',
      url: `/payments/${payment.id}/refunds`,
      payload: {},
      headers: customer,
    });
    expect(refund.statusCode).toBe(403);
  });

  it('lets services do everything and customers read only their own payments', async () => {
    const service = asOrderService();
    const body = paymentBody({ customerId: 'customer-1' });
    const created = await pay(app, body, undefined, service);
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect((await app.inject({ url: `/payments/${id}`, headers: service })).statusCode).toBe(200);
    const refunded = await app.inject({
      method: 'POST',
      url: `/payments/${id}/refunds`,
      payload: {},
      headers: service,
    });
    expect(refunded.statusCode).toBe(201);

    const owner = asCustomer('customer-1');
    const stranger = asCustomer('customer-2');
    expect((await app.inject({ url: `/payments/${id}`, headers: owner })).statusCode).toBe(200);
    expect((await app.inject({ url: `/payments/${id}`, headers: stranger })).statusCode).toBe(404);
    const list = (headers: Record<string, string>) =>
      app
        .inject({ url: `/payments?orderId=${body.orderId}`, headers })
        .then((response) => response.json().payments.length);
    expect(await list(owner)).toBe(1);
    expect(await list(stranger)).toBe(0);
  });
});
