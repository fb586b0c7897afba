import { createEvent, type AnyEvent } from '@shop/contracts';
import { runMigrations, runStatements } from '@shop/db';
import type { EventWrites } from '@shop/messaging';
import { bearer, createTestDatabase, testEngines, testResources, type TestDatabase } from '@shop/testing';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { buildApp } from '../src/app';
import { TEST_SCRYPT_COST } from '../src/domain/password';
import { migrations } from '../src/migrations';
import { orderHistoryHandlers } from '../src/order-history/order-history';

const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };
const metadata = { correlationId: 'test' };

describe.each(testEngines())('user events and order history on %s', (engine) => {
  let db: TestDatabase;
  let app: ServiceApp;
  let commits = 0;

  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase(engine));
      await runMigrations(db, migrations);
      commits = 0;
      app = await track(
        buildApp({
          db,
          logger: false,
          authentication: trustEveryCallerForTests(),
          passwordCost: TEST_SCRYPT_COST,
          onEventsCommitted: () => commits++,
        }),
      );
    }),
  );

  async function register(email = 'ada@example.com'): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/users',
      payload: { email, name: 'Ada', password: 'long enough password', shippingAddress: address },
    });
    expect(response.statusCode).toBe(201);
    return response.json().id;
  }

  const outbox = async () =>
    (await db.query<{ envelope: AnyEvent }>('SELECT envelope FROM outbox ORDER BY aggregate_version')).rows.map(
      (row) => row.envelope,
    );

  it('writes UserRegistered and UserUpdated to the outbox with the change, then wakes the relay', async () => {
    const id = await register();
    await app.inject({ method: 'PATCH', url: `/users/${id}`, payload: { name: 'Ada King' } });
    const events = await outbox();
    expect(events.map((event) => [event.eventType, event.aggregateVersion, event.data])).toEqual([
      ['UserRegistered', 1, { userId: id, email: 'ada@example.com', name: 'Ada' }],
      ['UserUpdated', 2, { userId: id, email: 'ada@example.com', name: 'Ada King' }],
    ]);
    expect(commits).toBe(2);
  });

  it('writes no event when the registration is rejected', async () => {
    await register();
    const duplicate = await app.inject({
      method: 'POST',
      url: '/users',
      payload: { email: 'ADA@example.com', name: 'Other', password: 'long enough password', shippingAddress: address },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(await outbox()).toHaveLength(1);
    expect(commits).toBe(1);
  });

  it('verifies credentials without revealing which part was wrong', async () => {
    const id = await register();
    const verify = (email: string, password: string) =>
      app.inject({ method: 'POST', url: '/credentials/verify', payload: { email, password } });
    expect((await verify('ADA@example.com', 'long enough password')).json()).toEqual({ userId: id });
    const wrongPassword = await verify('ada@example.com', 'wrong password');
    const unknownEmail = await verify('nobody@example.com', 'long enough password');
    expect([wrongPassword.statusCode, unknownEmail.statusCode]).toEqual([401, 401]);
    expect(wrongPassword.json().detail).toBe(unknownEmail.json().detail);
  });

  it('builds the order history from order events, whatever order they arrive in', async () => {
    const customerId = await register();
    const orderId = 'order-1';
    const total = { amountMinor: 2500, currency: 'EUR' };
    const event = (eventType: AnyEvent['eventType'], version: number, data: object) =>
      createEvent({
        eventType,
        aggregateId: orderId,
        aggregateVersion: version,
        data: { orderId, customerId, ...data },
        metadata,
      } as never) as AnyEvent;
    const placed = event('OrderPlaced', 1, {
      lines: [{ sku: 'A', quantity: 2, unitPrice: { amountMinor: 1250, currency: 'EUR' } }],
      total,
    });
    const confirmed = event('OrderConfirmed', 2, {});
    const shipped = event('OrderShipped', 3, { shipmentId: 's1', trackingNumber: 'T1' });

    // Shipped first, then placed, then confirmed (older than shipped): the newest status wins, details still fill in.
    for (const e of [shipped, placed, confirmed, shipped]) {
      await runStatements(
        db,
        (orderHistoryHandlers[e.eventType] as EventWrites<AnyEvent['eventType']>).writes(e as never),
      );
    }
    const history = (await app.inject(`/users/${customerId}/orders`)).json();
    expect(history.orders).toEqual([
      expect.objectContaining({ orderId, status: 'SHIPPED', total, itemCount: 2, placedAt: placed.occurredAt }),
    ]);
  });
});

describe('user service with authentication on', () => {
  const SECRET = 'a-test-secret-of-at-least-32-characters';
  let db: TestDatabase;
  let app: ServiceApp;
  const resources = testResources('all');
  beforeAll(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase('pglite'));
      await runMigrations(db, migrations);
      app = await track(
        buildApp({
          db,
          logger: false,
          passwordCost: TEST_SCRYPT_COST,
          authentication: { secret: SECRET },
        }),
      );
      await app.ready();
    }),
  );

  it('rejects requests without a valid token, and hides other customers', async () => {
    const gateway = bearer(SECRET, { sub: 'gateway', role: 'service' });
    expect((await app.inject({ method: 'GET', url: '/users' })).statusCode).toBe(401);

    const created = await app.inject({
      method: 'POST',
      url: '/users',
      headers: gateway,
      payload: { email: 'x@example.com', name: 'X', password: 'long enough password', shippingAddress: address },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;

    const asOwner = bearer(SECRET, { sub: id, role: 'customer' });
    const asOther = bearer(SECRET, { sub: '0190a0a0-0000-7000-8000-000000000000', role: 'customer' });
    expect((await app.inject({ url: `/users/${id}`, headers: asOwner })).statusCode).toBe(200);
    expect((await app.inject({ url: `/users/${id}`, headers: asOther })).statusCode).toBe(404);
    expect((await app.inject({ url: `/users/${id}/orders`, headers: asOther })).statusCode).toBe(404);
    expect((await app.inject({ url: '/users', headers: asOwner })).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/credentials/verify',
          headers: asOwner,
          payload: { email: 'x@example.com', password: 'p' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
