/**
 * The whole shop behind the gateway, in-process: user, inventory, payment, shipping and order services, each its own
 * buildApp on its own PGlite database, listening on a port the OS picks; events travel over local-aws (SNS → SQS)
 * through each service's outbox and consumer. The catalogue holds SKU-MUG (10 units at 12.50 EUR).
 *
 * Everything started is closed by `close()`, in reverse order — also what a setup still running when the test gave
 * up creates afterwards: once closed, anything new is closed the moment it is tracked.
 */
import { systemTopology } from '@shop/contracts';
import { runMigrations, type Database } from '@shop/db';
import { startLocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createServiceMessaging,
  destroyAwsClients,
  messagingMigrationsDir,
  provisionTopology,
} from '@shop/messaging';
import { constantBackoff } from '@shop/resilience';
import type { ServiceApp } from '@shop/service-kit';
import { createTestDatabase } from '@shop/testing';
import { buildApp as buildInventory } from '@shop/inventory-service/dist/app';
import { migrations as inventoryMigrations } from '@shop/inventory-service/dist/migrations';
import { buildApp as buildOrder } from '@shop/order-service/dist/app';
import { orderEventHandlers } from '@shop/order-service/dist/events/order-event-handlers';
import { migrations as orderMigrations } from '@shop/order-service/dist/migrations';
import { buildApp as buildPayment } from '@shop/payment-service/dist/app';
import { migrationsDir as paymentMigrations } from '@shop/payment-service/dist/migrations';
import { buildApp as buildShipping } from '@shop/shipping-service/dist/app';
import { migrations as shippingMigrations } from '@shop/shipping-service/dist/migrations';
import { buildApp as buildUser } from '@shop/user-service/dist/app';
import { TEST_SCRYPT_COST } from '@shop/user-service/dist/domain/password';
import { migrations as userMigrations } from '@shop/user-service/dist/migrations';
import { orderHistoryHandlers } from '@shop/user-service/dist/order-history/order-history';
import { JWT_SECRET, startGateway } from './gateway';

export interface Shop {
  gateway: ServiceApp;
  /** The services behind the gateway, for requests that bypass it. */
  services: { user: ServiceApp; order: ServiceApp };
  close(): Promise<void>;
}

type Close = () => Promise<unknown> | unknown;

/** Call in `beforeAll`; call `shop.close()` in `afterAll` even if `start` failed or is still running. */
export function createShop(): { start(): Promise<Shop>; close(): Promise<void> } {
  const closers: Close[] = [];
  let closed = false;
  const track = async (close: Close) => {
    if (closed) await close();
    else closers.push(close);
  };
  const close = async () => {
    closed = true;
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  return { start: () => startShop(track, close), close };
}

async function startShop(track: (close: Close) => Promise<void>, close: () => Promise<void>): Promise<Shop> {
  const authentication = { secret: JWT_SECRET };
  const aws = await startLocalAws({ port: 0 });
  await track(() => aws.close());
  const clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
  await provisionTopology(clients, systemTopology);
  destroyAwsClients(clients);

  async function database(dirs: string[]): Promise<Database> {
    const db = await createTestDatabase('pglite');
    await track(() => db.close());
    for (const dir of dirs) await runMigrations(db, dir);
    return db;
  }
  async function listen(app: ServiceApp): Promise<string> {
    await track(() => app.close());
    return app.listen({ port: 0, host: '127.0.0.1' });
  }
  async function messaging(service: string, db: Database) {
    const started = createServiceMessaging({
      service,
      db,
      endpoint: aws.endpoint,
      region: 'us-east-1',
      relayOptions: { pollIntervalMs: 50 },
      consumerOptions: { waitTimeSeconds: 1 },
    });
    await track(() => started.close());
    return started;
  }

  const inventoryDb = await database(inventoryMigrations);
  const inventoryUrl = await listen(await buildInventory({ db: inventoryDb, logger: false }));
  const paymentDb = await database([messagingMigrationsDir, paymentMigrations]);
  const paymentUrl = await listen(await buildPayment({ db: paymentDb, logger: false }));
  const shippingDb = await database([]);
  await runMigrations(shippingDb, shippingMigrations);
  const shippingUrl = await listen(
    await buildShipping({
      db: shippingDb,
      logger: false,
      schedule: { dispatchDelayMs: 60_000, deliveryDelayMs: 60_000 },
    }),
  );

  const userDb = await database(userMigrations);
  const userMessaging = await messaging('user', userDb);
  const user = await buildUser({
    db: userDb,
    logger: false,
    authentication,
    passwordCost: TEST_SCRYPT_COST,
    onEventsCommitted: userMessaging.wake,
  });
  const userUrl = await listen(user);

  const orderDb = await database(orderMigrations);
  const orderMessaging = await messaging('order', orderDb);
  const order = await buildOrder({
    db: orderDb,
    logger: false,
    authentication,
    participants: { inventoryUrl, paymentUrl, shippingUrl, retry: { maxAttempts: 2, backoff: constantBackoff(5) } },
    saga: { pollIntervalMs: 50 },
    onEventsCommitted: orderMessaging.wake,
  });
  await track(() => order.sagas.stop());
  const orderUrl = await listen(order);
  // The consumers' handlers arrive with start(): the order's need the app, which needed the relay's wake.
  userMessaging.start(orderHistoryHandlers);
  orderMessaging.start(orderEventHandlers(order.orders));
  order.sagas.startWorker();

  // The catalogue is stocked by an admin, inside the network: catalogue writes are not public.
  const stocked = await fetch(`${inventoryUrl}/products/SKU-MUG`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Red mug', price: { amountMinor: 1_250, currency: 'EUR' }, stock: 10 }),
  });
  if (stocked.status !== 201) throw new Error(`stocking the catalogue answered ${stocked.status}`);

  const { app: gateway } = await startGateway({ users: userUrl, orders: orderUrl, inventory: inventoryUrl });
  await track(() => gateway.close());
  return { gateway, services: { user, order }, close };
}
