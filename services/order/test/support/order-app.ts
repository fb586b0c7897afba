/**
 * The order app in-process (requests through `app.inject`), its saga worker running against real participants over
 * HTTP, with policies shrunk so retries and backoffs take milliseconds instead of seconds.
 */
import { createEvent } from '@shop/contracts';
import { runMigrations } from '@shop/db';
import { constantBackoff } from '@shop/resilience';
import type { ServiceApp } from '@shop/service-kit';
import { bearer, createTestDatabase, eventually, type TestDatabase } from '@shop/testing';
import { buildApp, type OrderApp, type OrderAppDeps } from '../../src/app';
import { applyCustomerSnapshot } from '../../src/customers/customer-replica';
import { migrations } from '../../src/migrations';

export const JWT_SECRET = 'order-service-tests-secret-0123456789abcdef';
export const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };

export interface OrderFixture {
  app: OrderApp;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startOrderApp(
  participantUrls: OrderAppDeps['participants'],
  overrides: Partial<OrderAppDeps> = {},
): Promise<OrderFixture> {
  const db = await createTestDatabase('pglite');
  await runMigrations(db, migrations);
  const app = await buildApp({
    db,
    logger: false,
    authentication: { secret: JWT_SECRET },
    participants: {
      ...participantUrls,
      timeoutMs: 2_000,
      retry: { maxAttempts: 2, backoff: constantBackoff(5) },
      breaker: { openDurationMs: 50 },
    },
    saga: {
      pollIntervalMs: 20,
      policies: {
        invoke: { backoff: constantBackoff(10), maxAttempts: 3, timeoutMs: 5_000 },
        compensate: { backoff: constantBackoff(10), maxAttempts: 2, timeoutMs: 5_000 },
      },
    },
    ...overrides,
  });
  app.sagas.startWorker();
  return {
    app,
    db,
    async close() {
      await app.sagas.stop();
      await app.close();
      await db.close();
    },
  };
}

/** Seeds the customer replica through the consumer's own handler code (the SNS path is covered in events.test.ts). */
export async function registerCustomer(db: TestDatabase, userId: string, version = 1): Promise<void> {
  const event = createEvent({
    eventType: 'UserRegistered',
    aggregateId: userId,
    aggregateVersion: version,
    data: { userId, email: `${userId}@example.com`, name: `Customer ${userId}` },
    metadata: { correlationId: `seed-${userId}` },
  });
  await db.transaction((tx) => applyCustomerSnapshot(tx, event));
}

export const customerAuth = (_app: ServiceApp, customerId: string) =>
  bearer(JWT_SECRET, { sub: customerId, role: 'customer' });
export const serviceAuth = (_app: ServiceApp) => bearer(JWT_SECRET, { sub: 'ops-console', role: 'service' });

export async function placeOrder(
  app: ServiceApp,
  customerId: string,
  body: { items: { sku: string; quantity: number }[]; paymentMethod?: string; shippingAddress?: object },
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/orders',
    headers: { ...customerAuth(app, customerId), ...headers },
    payload: { shippingAddress: address, paymentMethod: 'tok_visa', ...body },
  });
}

export async function getOrder(app: ServiceApp, orderId: string) {
  const response = await app.inject({ url: `/orders/${orderId}`, headers: serviceAuth(app) });
  if (response.statusCode !== 200) throw new Error(`GET /orders/${orderId}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Waits until the order's saga has finished (or parked) and returns the order. */
export async function settledOrder(app: ServiceApp, orderId: string, timeoutMs = 10_000) {
  return eventually(
    async () => {
      const order = await getOrder(app, orderId);
      if (!['COMPLETED', 'COMPENSATED', 'NEEDS_ATTENTION'].includes(order.saga?.state)) {
        throw new Error(`saga is ${order.saga?.state} at ${order.saga?.currentStep}`);
      }
      return order;
    },
    { timeoutMs },
  );
}
