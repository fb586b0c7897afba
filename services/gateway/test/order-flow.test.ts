/**
 * The whole shop through the gateway only: register → token → browse products → order → poll status → order history.
 * Every service is the real one, built in-process with its own buildApp on its own PGlite database and listening on
 * a port the OS picks; events travel over local-aws (SNS → SQS) through each service's outbox and consumer.
 */
import { systemTopology } from '@shop/contracts';
import { runMigrations, type Database } from '@shop/db';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createServiceMessaging,
  destroyAwsClients,
  messagingMigrationsDir,
  provisionTopology,
} from '@shop/messaging';
import { constantBackoff } from '@shop/resilience';
import type { ServiceApp } from '@shop/service-kit';
import { createTestDatabase, eventually } from '@shop/testing';
import { buildApp as buildInventory } from '@shop/inventory-service/dist/app';
import { migrationDirs as inventoryMigrations } from '@shop/inventory-service/dist/migrations';
import { buildApp as buildOrder } from '@shop/order-service/dist/app';
import { orderEventHandlers } from '@shop/order-service/dist/events/order-event-handlers';
import { migrationDirs as orderMigrations } from '@shop/order-service/dist/migrations';
import { buildApp as buildPayment } from '@shop/payment-service/dist/app';
import { migrationsDir as paymentMigrations } from '@shop/payment-service/dist/migrations';
import { buildApp as buildShipping } from '@shop/shipping-service/dist/app';
import { migrateShippingDatabase } from '@shop/shipping-service/dist/migrations';
import { buildApp as buildUser } from '@shop/user-service/dist/app';
import { TEST_SCRYPT_COST } from '@shop/user-service/dist/domain/password';
import { migrations as userMigrations } from '@shop/user-service/dist/migrations';
import { orderHistoryHandlers } from '@shop/user-service/dist/order-history/order-history';
import { JWT_SECRET, startGateway } from './support/gateway';

const authentication = { secret: JWT_SECRET };

describe('the order flow through the gateway only', () => {
  let aws: LocalAws;
  const closers: (() => Promise<unknown> | unknown)[] = [];
  let gateway: ServiceApp;

  async function database(dirs: string[]): Promise<Database> {
    const db = await createTestDatabase('pglite');
    for (const dir of dirs) await runMigrations(db, dir);
    closers.push(() => db.close());
    return db;
  }
  async function listen(app: ServiceApp): Promise<string> {
    closers.push(() => app.close());
    return app.listen({ port: 0, host: '127.0.0.1' });
  }
  function messaging(
    service: string,
    db: Database,
    handlers?: Parameters<typeof createServiceMessaging>[0]['handlers'],
  ) {
    const started = createServiceMessaging({
      service,
      db,
      endpoint: aws.endpoint,
      region: 'us-east-1',
      ...(handlers ? { handlers } : {}),
      relayOptions: { pollIntervalMs: 50 },
      consumerOptions: { waitTimeSeconds: 1 },
    });
    closers.push(() => started.close());
    return started;
  }

  beforeAll(async () => {
    aws = await startLocalAws({ port: 0 });
    closers.push(() => aws.close());
    const clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
    await provisionTopology(clients, systemTopology);
    destroyAwsClients(clients);

    const inventoryDb = await database(inventoryMigrations);
    const inventoryUrl = await listen(await buildInventory({ db: inventoryDb, logger: false }));
    const paymentDb = await database([messagingMigrationsDir, paymentMigrations]);
    const paymentUrl = await listen(await buildPayment({ db: paymentDb, logger: false }));
    const shippingDb = await createTestDatabase('pglite');
    await migrateShippingDatabase(shippingDb);
    closers.push(() => shippingDb.close());
    const shippingUrl = await listen(
      await buildShipping({
        db: shippingDb,
        logger: false,
        schedule: { dispatchDelayMs: 60_000, deliveryDelayMs: 60_000 },
      }),
    );

    const userDb = await database(userMigrations);
    const userMessaging = messaging('user', userDb, orderHistoryHandlers);
    const userUrl = await listen(
      await buildUser({
        db: userDb,
        logger: false,
        authentication,
        passwordCost: TEST_SCRYPT_COST,
        onEventsCommitted: () => userMessaging.wake(),
      }),
    );

    const orderDb = await database(orderMigrations);
    // The order consumer's handlers need the app, and the app wakes the relay: tie the knot once both exist.
    let wakeOrderRelay = (): void => {};
    const order = await buildOrder({
      db: orderDb,
      logger: false,
      authentication,
      participants: { inventoryUrl, paymentUrl, shippingUrl, retry: { maxAttempts: 2, backoff: constantBackoff(5) } },
      saga: { pollIntervalMs: 50 },
      onEventsCommitted: () => wakeOrderRelay(),
    });
    closers.push(() => order.sagas.stop());
    const orderUrl = await listen(order);
    const orderMessaging = messaging('order', orderDb, orderEventHandlers(order.orders));
    wakeOrderRelay = () => orderMessaging.wake();
    userMessaging.start();
    orderMessaging.start();
    order.sagas.startWorker();

    // The catalogue is stocked by an admin, inside the network: catalogue writes are not public.
    const stocked = await fetch(`${inventoryUrl}/products/SKU-MUG`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Red mug', price: { amountMinor: 1_250, currency: 'EUR' }, stock: 10 }),
    });
    expect(stocked.status).toBe(201);

    ({ app: gateway } = await startGateway({ users: userUrl, orders: orderUrl, inventory: inventoryUrl }));
    closers.push(() => gateway.close());
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  }, 30_000);

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
