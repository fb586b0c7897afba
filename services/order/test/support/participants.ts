/**
 * The saga's participants as real HTTP servers on ports the OS picks: inventory, payment and shipping, each started
 * through the test kit its service exports (`@shop/<name>-service/testing`) on its own PGlite database, with fault
 * injection on so tests can make them fail.
 * Plus the reads the tests check invariants with (stock, reservations, payments, shipments).
 */
import { systemClock } from '@shop/clock';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { buildInventoryForTests } from '@shop/inventory-service/testing';
import { buildPaymentForTests } from '@shop/payment-service/testing';
import { buildShippingForTests, Dispatcher } from '@shop/shipping-service/testing';

export interface RunningService {
  app: ServiceApp;
  db: TestDatabase;
  url: string;
}

async function listen(app: ServiceApp, db: TestDatabase): Promise<RunningService> {
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, db, url };
}

export interface Participants {
  inventory: RunningService;
  payment: RunningService;
  shipping: RunningService;
  /** Moves due shipments (CREATED → DISPATCHED → DELIVERED) when the test says so. */
  dispatcher: Dispatcher;
  urls: { inventoryUrl: string; paymentUrl: string; shippingUrl: string };
  close(): Promise<void>;
}

export async function startParticipants(options: { onShippingEvents?: () => void } = {}): Promise<Participants> {
  const [inventoryDb, paymentDb, shippingDb] = await Promise.all([
    createTestDatabase('pglite'),
    createTestDatabase('pglite'),
    createTestDatabase('pglite'),
  ]);

  const schedule = { dispatchDelayMs: 0, deliveryDelayMs: 0 };
  // These tests are about the saga, not about tokens: the participants take every caller for a service.
  const authentication = trustEveryCallerForTests();
  const inventory = await listen(
    await buildInventoryForTests({ db: inventoryDb, logger: false, faultInjection: true, authentication }),
    inventoryDb,
  );
  const payment = await listen(
    await buildPaymentForTests({ db: paymentDb, logger: false, faultInjection: true, authentication }),
    paymentDb,
  );
  const shipping = await listen(
    await buildShippingForTests({
      db: shippingDb,
      schedule,
      logger: false,
      faultInjection: true,
      authentication,
      ...(options.onShippingEvents ? { onEventsCommitted: options.onShippingEvents } : {}),
    }),
    shippingDb,
  );
  const dispatcher = new Dispatcher({
    db: shippingDb,
    clock: systemClock,
    schedule,
    carrier: 'Test Parcel',
    batchSize: 50,
    pollIntervalMs: 60_000,
    ...(options.onShippingEvents ? { onEventsCommitted: options.onShippingEvents } : {}),
  });
  return {
    inventory,
    payment,
    shipping,
    dispatcher,
    urls: { inventoryUrl: inventory.url, paymentUrl: payment.url, shippingUrl: shipping.url },
    async close() {
      await dispatcher.stop();
      for (const service of [inventory, payment, shipping]) {
        await service.app.close();
        await service.db.close();
      }
    },
  };
}

export async function addProduct(
  inventory: RunningService,
  sku: string,
  stock: number,
  amountMinor = 1_000,
): Promise<void> {
  const response = await fetch(`${inventory.url}/products/${sku}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Product ${sku}`, price: { amountMinor, currency: 'EUR' }, stock }),
  });
  if (response.status >= 300) throw new Error(`PUT /products/${sku}: ${response.status} ${await response.text()}`);
}

/** What the participants hold for one order: the facts the saga's outcome is checked against. */
export async function participantStateOf(participants: Participants, orderId: string) {
  const { inventory, payment, shipping } = participants;
  const reservationResponse = await fetch(`${inventory.url}/reservations/${orderId}`);
  const reservation =
    reservationResponse.status === 200
      ? ((await reservationResponse.json()) as { status: string; tombstone: boolean })
      : null;
  const { payments } = (await (await fetch(`${payment.url}/payments?orderId=${orderId}`)).json()) as {
    payments: { status: string; amount: number }[];
  };
  const { shipments } = (await (await fetch(`${shipping.url}/shipments?orderId=${orderId}`)).json()) as {
    shipments: { status: string; tombstone: boolean }[];
  };
  return { reservation, payments, shipments };
}

export async function stockOf(inventory: RunningService, sku: string): Promise<{ stock: number; reserved: number }> {
  const { stock, reserved } = (await (await fetch(`${inventory.url}/products/${sku}`)).json()) as {
    stock: number;
    reserved: number;
  };
  return { stock, reserved };
}
