/**
 * The whole shop through the gateway only: register → token → browse products → order → poll status → order history.
 * Every service is the real one, built in-process with its own buildApp on its own PGlite database and listening on
 * a port the OS picks; events travel over local-aws (SNS → SQS) through each service's outbox and consumer.
 */
import type { ServiceApp } from '@shop/service-kit';
import { eventually } from '@shop/testing';
import { createShop } from './support/shop';

describe('the order flow through the gateway only', () => {
  const shop = createShop();
  let gateway: ServiceApp;

  beforeAll(async () => {
    ({ gateway } = await shop.start());
  }, 180_000); // five services on fresh databases at once

  afterAll(() => shop.close(), 30_000);

  it('register → token → browse → order → poll status → order history', async () => {
    const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
    const registered = await gateway.inject({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery', shippingAddress: address },
    });
    expect(registered.statusCode).toBe(201);
    const customerId = registered.json().id;

    const token = await gateway.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { email: 'ada@example.com', password: 'correct horse battery' },
    });
    const headers = { authorization: `Bearer ${token.json().accessToken}` };

    const products = (await gateway.inject({ url: '/api/products', headers })).json().products;
    expect(products.map((product: { sku: string }) => product.sku)).toEqual(['SKU-MUG']);

    // The order service learns about the customer from UserRegistered: until then it answers 422 unknown-customer.
    const order = { items: [{ sku: 'SKU-MUG', quantity: 2 }], shippingAddress: address, paymentMethod: 'tok_visa' };
    const placed = await eventually(
      async () => {
        const response = await gateway.inject({
          method: 'POST',
          url: '/api/orders',
          headers: { ...headers, 'idempotency-key': 'first-order' },
          payload: order,
        });
        if (response.statusCode !== 202) throw new Error(`${response.statusCode} ${response.body}`);
        return response;
      },
      { timeoutMs: 15_000 },
    );
    const location = placed.headers.location as string;
    expect(location).toMatch(/^\/api\/orders\//);
    expect(placed.json().location).toBe(location);

    const confirmed = await eventually(
      async () => {
        const current = (await gateway.inject({ url: location, headers })).json();
        if (current.status !== 'CONFIRMED') throw new Error(`order is ${current.status}`);
        return current;
      },
      { timeoutMs: 15_000 },
    );
    expect(confirmed).toMatchObject({ customerId, total: { amountMinor: 2_500, currency: 'EUR' } });

    const mine = (await gateway.inject({ url: '/api/orders', headers })).json();
    expect(mine.orders.map((summary: { id: string }) => summary.id)).toEqual([confirmed.id]);

    const history = await eventually(
      async () => {
        const entries = (await gateway.inject({ url: '/api/users/me/orders', headers })).json().orders;
        if (entries[0]?.status !== 'CONFIRMED') throw new Error(`history: ${JSON.stringify(entries)}`);
        return entries;
      },
      { timeoutMs: 15_000 },
    );
    expect(history).toMatchObject([{ orderId: confirmed.id, total: { amountMinor: 2_500, currency: 'EUR' } }]);

    // Another customer cannot see it.
    await gateway.inject({
      method: 'POST',
      url: '/api/users',
      payload: { email: 'eve@example.com', name: 'Eve', password: 'correct horse battery', shippingAddress: address },
    });
    const eve = await gateway.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { email: 'eve@example.com', password: 'correct horse battery' },
    });
    const asEve = { authorization: `Bearer ${eve.json().accessToken}` };
    expect((await gateway.inject({ url: location, headers: asEve })).statusCode).toBe(404);
    expect((await gateway.inject({ url: '/api/orders', headers: asEve })).json().orders).toEqual([]);
  }, 60_000);
});
