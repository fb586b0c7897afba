/**
 * Every service built in-process for fuzzing: its own `buildApp` on an in-memory PGlite, authentication on with a
 * test secret, a little data to aim at (a user, a product, a reservation, a payment, a shipment), and the gateway in
 * front of real user, order and inventory apps listening on ports the OS picks.
 */
import { runMigrations, type Database } from '@shop/db';
import { messagingMigrationsDir } from '@shop/messaging';
import type { ServiceApp } from '@shop/service-kit';
import { createTestDatabase, signTestToken } from '@shop/testing';
import { buildApp as buildGateway, type GatewayApp } from '@shop/gateway-service/dist/app';
import { buildApp as buildInventory } from '@shop/inventory-service/dist/app';
import { migrations as inventoryMigrations } from '@shop/inventory-service/dist/migrations';
import { buildApp as buildOrder } from '@shop/order-service/dist/app';
import { migrations as orderMigrations } from '@shop/order-service/dist/migrations';
import { buildApp as buildPayment } from '@shop/payment-service/dist/app';
import { migrationsDir as paymentMigrations } from '@shop/payment-service/dist/migrations';
import { buildApp as buildShipping } from '@shop/shipping-service/dist/app';
import { migrations as shippingMigrations } from '@shop/shipping-service/dist/migrations';
import { buildApp as buildUser } from '@shop/user-service/dist/app';
import { TEST_SCRYPT_COST } from '@shop/user-service/dist/domain/password';
import { migrations as userMigrations } from '@shop/user-service/dist/migrations';
import { snapshotDatabase } from '../src/fuzz/database-snapshot';

export const SECRET = 'reliability-fuzz-secret-0123456789abcdef';
const authentication = { secret: SECRET };
const NOWHERE = 'http://127.0.0.1:9'; // the saga worker is not started: participants are never called

export interface FleetMember {
  name: string;
  app: ServiceApp;
  dbs: Database[];
  known: string[];
}

export interface Fleet {
  members: FleetMember[];
  /** The gateway member's app, typed as one: its circuits to the services behind it are read after fuzzing. */
  gateway: GatewayApp;
  customerId: string;
  close(): Promise<void>;
}

export async function startFleet(): Promise<Fleet> {
  const closers: (() => Promise<unknown>)[] = [];
  const database = async (dirs: string[]) => {
    const db = await createTestDatabase('pglite');
    for (const dir of dirs) await runMigrations(db, dir);
    closers.push(() => db.close());
    return db;
  };
  const service = signTestToken(SECRET, { sub: 'fuzz', role: 'service', expiresInSeconds: 3_600 });
  const asService = { authorization: `Bearer ${service}` };

  const userDb = await database(userMigrations);
  const user = await buildUser({ db: userDb, logger: false, authentication, passwordCost: TEST_SCRYPT_COST });
  const registered = await user.inject({
    method: 'POST',
    url: '/users',
    headers: asService,
    payload: {
      email: 'fuzz@example.com',
      name: 'Fuzz',
      password: 'fuzz-password-1',
      shippingAddress: { line1: '1 A St', city: 'Lisbon', postalCode: '1100', country: 'PT' },
    },
  });
  const customerId = registered.json().id as string;

  const inventoryDb = await database(inventoryMigrations);
  const inventory = await buildInventory({ db: inventoryDb, logger: false, authentication });
  await inventory.inject({
    method: 'PUT',
    url: '/products/SKU-FUZZ',
    headers: asService,
    payload: { name: 'Fuzz', price: { amountMinor: 100, currency: 'EUR' }, stock: 10 },
  });
  const orderId = '0190a0a0-0000-7000-8000-0000000000f1';
  await inventory.inject({
    method: 'POST',
    url: '/reservations',
    headers: asService,
    payload: { orderId, items: [{ sku: 'SKU-FUZZ', quantity: 1 }] },
  });

  const paymentDb = await database([messagingMigrationsDir, paymentMigrations]);
  const payment = await buildPayment({ db: paymentDb, logger: false, authentication });
  const paid = await payment.inject({
    method: 'POST',
    url: '/payments',
    headers: { ...asService, 'idempotency-key': 'fuzz-seed' },
    payload: { orderId, customerId, amount: 100, currency: 'EUR', paymentMethod: 'tok_visa' },
  });

  const shippingDb = await createTestDatabase('pglite');
  closers.push(() => shippingDb.close());
  await runMigrations(shippingDb, shippingMigrations);
  const shipping = await buildShipping({
    db: shippingDb,
    logger: false,
    authentication,
    schedule: { dispatchDelayMs: 3_600_000, deliveryDelayMs: 3_600_000 },
  });
  const shipped = await shipping.inject({
    method: 'POST',
    url: '/shipments',
    headers: asService,
    payload: {
      orderId,
      address: { line1: '1 A St', city: 'Lisbon', postalCode: '1100', country: 'PT' },
      items: [{ sku: 'SKU-FUZZ', quantity: 1 }],
    },
  });

  const orderDb = await database(orderMigrations);
  const order = await buildOrder({
    db: orderDb,
    logger: false,
    authentication,
    participants: { inventoryUrl: NOWHERE, paymentUrl: NOWHERE, shippingUrl: NOWHERE },
  });

  const listen = async (app: ServiceApp) => app.listen({ port: 0, host: '127.0.0.1' });
  const gateway = await buildGateway({
    logger: false,
    jwtSecret: SECRET,
    upstreams: {
      userServiceUrl: await listen(user),
      orderServiceUrl: await listen(order),
      inventoryServiceUrl: await listen(inventory),
      timeoutMs: 5_000,
      // The production default: the fuzz then also shows that no input, however hostile, opens a circuit.
      breakerConsecutiveFailures: 5,
      breakerOpenMs: 1_000,
    },
    rateLimit: { max: 1_000_000, windowMs: 60_000, authMax: 1_000_000, cacheSize: 1_000 },
  });
  const apps = [gateway, order, user, inventory, payment, shipping];
  closers.unshift(async () => {
    for (const app of apps) await app.close();
  });

  const known = [customerId, 'SKU-FUZZ', orderId, paid.json().id as string, shipped.json().id as string, 'me'];
  return {
    customerId,
    gateway,
    members: [
      { name: 'gateway', app: gateway, dbs: [userDb, orderDb, inventoryDb], known },
      { name: 'user', app: user, dbs: [userDb], known },
      { name: 'inventory', app: inventory, dbs: [inventoryDb], known },
      { name: 'payment', app: payment, dbs: [paymentDb], known },
      { name: 'shipping', app: shipping, dbs: [shippingDb], known },
      { name: 'order', app: order, dbs: [orderDb], known },
    ],
    async close() {
      for (const close of closers) await close();
    },
  };
}

export async function snapshotAll(dbs: Database[]): Promise<string> {
  return (await Promise.all(dbs.map(snapshotDatabase))).join('\n');
}
