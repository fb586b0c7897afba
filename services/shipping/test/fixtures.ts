// Shared set-up: a migrated database on the engine under test, a fake wall clock, the app, and outbox readers.
import { FakeClock } from '@shop/clock';
import type { EventEnvelope } from '@shop/contracts';
import { runMigrations, type Engine } from '@shop/db';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { buildApp } from '../src/app';
import { migrations as shippingMigrations } from '../src/migrations';

/** Epoch ms: the fake clock reads wall-clock time, since the service persists it. */
export const START = Date.parse('2030-01-01T00:00:00.000Z');
export const schedule = { dispatchDelayMs: 60_000, deliveryDelayMs: 120_000 };

export const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
export const items = [{ sku: 'SKU-1', quantity: 2 }];

export const createBody = (orderId: string, overrides: Record<string, unknown> = {}) => ({
  orderId,
  address,
  items,
  ...overrides,
});

export interface ShippingFixture {
  db: TestDatabase;
  clock: FakeClock;
  app: ServiceApp;
  close(): Promise<void>;
}

export async function startShipping(
  engine: Engine,
  options: { onEventsCommitted?: () => void } = {},
): Promise<ShippingFixture> {
  const db = await createTestDatabase(engine);
  await runMigrations(db, shippingMigrations);
  const clock = new FakeClock(START);
  const app = await buildApp({
    db,
    schedule,
    clock,
    logger: false,
    authentication: trustEveryCallerForTests(),
    ...options,
  });
  return {
    db,
    clock,
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** Events waiting in the outbox, oldest first, optionally of one type. */
export async function outboxEvents(db: TestDatabase, eventType?: string): Promise<EventEnvelope[]> {
  const { rows } = await db.query<{ envelope: EventEnvelope | string }>(
    `SELECT envelope FROM outbox ${eventType ? 'WHERE event_type = $1' : ''} ORDER BY id`,
    eventType ? [eventType] : [],
  );
  return rows.map((row) => (typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope));
}
