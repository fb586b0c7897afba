/**
 * The whole shop behind the gateway, in-process: user, inventory, payment, shipping and order services, each started
 * through the test kit it exports (`@shop/<name>-service/testing`) on its own PGlite database, verifying tokens like
 * in production and listening on a port the OS picks; events travel over local-aws (SNS → SQS)
 * through each service's outbox and consumer. The catalogue holds SKU-MUG (10 units at 12.50 EUR).
 *
 * Everything started is closed by `close()`, in reverse order — also what a setup still running when the test gave
 * up creates afterwards: once closed, anything new is closed the moment it is tracked.
 */
import { systemTopology } from '@shop/contracts';
import type { Database } from '@shop/db';
import { startLocalAws } from '@shop/local-aws';
import { createAwsClients, createServiceMessaging, destroyAwsClients, provisionTopology } from '@shop/messaging';
import { constantBackoff } from '@shop/resilience';
import type { ServiceApp } from '@shop/service-kit';
import { bearer, createTestDatabase } from '@shop/testing';
import { buildInventoryForTests } from '@shop/inventory-service/testing';
import { buildOrderForTests, orderEventHandlers } from '@shop/order-service/testing';
import { buildPaymentForTests } from '@shop/payment-service/testing';
import { buildShippingForTests } from '@shop/shipping-service/testing';
import { buildUserForTests, orderHistoryHandlers } from '@shop/user-service/testing';
import type { GatewayApp } from '../../src/app';
import { JWT_SECRET, startGateway } from './gateway';

export interface Shop {
  gateway: GatewayApp;
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

  async function database(): Promise<Database> {
    const db = await createTestDatabase('pglite');
    await track(() => db.close());
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

  const inventoryUrl = await listen(
    await buildInventoryForTests({ db: await database(), logger: false, authentication }),
  );
  const paymentUrl = await listen(await buildPaymentForTests({ db: await database(), logger: false, authentication }));
  const shippingUrl = await listen(
    await buildShippingForTests({
      db: await database(),
      logger: false,
      authentication,
      schedule: { dispatchDelayMs: 60_000, deliveryDelayMs: 60_000 },
    }),
  );

  // Each app wakes its relay, and the relay reads the tables the kit migrates: tie the knot once both exist.
  const userDb = await database();
  let wakeUserRelay = (): void => {};
  const user = await buildUserForTests({
    db: userDb,
    logger: false,
    authentication,
    onEventsCommitted: () => wakeUserRelay(),
  });
  const userUrl = await listen(user);
  const userMessaging = await messaging('user', userDb);
  wakeUserRelay = () => userMessaging.wake();

  const orderDb = await database();
  let wakeOrderRelay = (): void => {};
  const order = await buildOrderForTests({
    db: orderDb,
    logger: false,
    authentication,
    participants: { inventoryUrl, paymentUrl, shippingUrl, retry: { maxAttempts: 2, backoff: constantBackoff(5) } },
    saga: { pollIntervalMs: 50 },
    onEventsCommitted: () => wakeOrderRelay(),
  });
  await track(() => order.sagas.stop());
  const orderUrl = await listen(order);
  const orderMessaging = await messaging('order', orderDb);
  wakeOrderRelay = () => orderMessaging.wake();
  // The consumers' handlers arrive with start(): the order's need the app.
  userMessaging.start(orderHistoryHandlers);
  orderMessaging.start(orderEventHandlers(order.orders));
  order.sagas.startWorker();

  // The catalogue is stocked by an admin, inside the network: catalogue writes are not public.
  const stocked = await fetch(`${inventoryUrl}/products/SKU-MUG`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...bearer(JWT_SECRET, { sub: 'catalogue-admin', role: 'service' }) },
    body: JSON.stringify({ name: 'Red mug', price: { amountMinor: 1_250, currency: 'EUR' }, stock: 10 }),
  });
  if (stocked.status !== 201) throw new Error(`stocking the catalogue answered ${stocked.status}`);

  const { app: gateway } = await startGateway({ users: userUrl, orders: orderUrl, inventory: inventoryUrl });
  await track(() => gateway.close());
  return { gateway, services: { user, order }, close };
}
