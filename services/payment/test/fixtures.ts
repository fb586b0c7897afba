// Shared test set-up: a migrated database on the given engine and an app on it, with the provider exposed.
import { runMigrations, type Engine } from '@shop/db';
import { messagingMigrationsDir } from '@shop/messaging';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { buildApp, type PaymentAppDeps } from '../src/app';
import { migrationsDir } from '../src/migrations';
import { SimulatedPaymentProvider } from '../src/provider/simulated-provider';

export async function migratedDatabase(engine: Engine): Promise<TestDatabase> {
  const db = await createTestDatabase(engine);
  await runMigrations(db, messagingMigrationsDir);
  await runMigrations(db, migrationsDir);
  return db;
}

export interface TestApp {
  app: ServiceApp;
  provider: SimulatedPaymentProvider;
}

export async function testApp(db: TestDatabase, deps: Partial<PaymentAppDeps> = {}): Promise<TestApp> {
  const provider = new SimulatedPaymentProvider();
  const app = await buildApp({ db, provider, logger: false, authentication: trustEveryCallerForTests(), ...deps });
  return { app, provider };
}

export const paymentBody = (overrides: Record<string, unknown> = {}) => ({
  orderId: `order-${randomUUID()}`,
  customerId: 'customer-1',
  amount: 4999,
  currency: 'EUR',
  paymentMethod: 'tok_visa',
  ...overrides,
});

/** POST /payments with an Idempotency-Key (a fresh one by default; `null` sends none). */
export function pay(
  app: ServiceApp,
  body: object,
  key: string | null = randomUUID(),
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/payments',
    payload: body,
    headers: { ...(key === null ? {} : { 'idempotency-key': key }), ...headers },
  });
}

export async function countRows(
  db: TestDatabase,
  table: 'payments' | 'refunds' | 'outbox' | 'idempotency_keys',
  where = 'true',
) {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`);
  return rows[0]!.n;
}

export async function outboxEvents(
  db: TestDatabase,
): Promise<{ event_type: string; envelope: { data: Record<string, unknown>; aggregateVersion: number } }[]> {
  return (
    await db.query<{ event_type: string; envelope: { data: Record<string, unknown>; aggregateVersion: number } }>(
      'SELECT event_type, envelope FROM outbox ORDER BY id',
    )
  ).rows;
}
