// One test's world: a migrated database, a fake clock, fake participants and an engine factory.
import { FakeClock } from '@shop/clock';
import { runMigrations, type Database, type Engine } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/db/testing';
import { constantBackoff } from '@shop/resilience';
import { createSagaEngine, sagaMigrationsDir, SagaState, type SagaEngine, type SagaEngineOptions } from '../../src';
import {
  createParticipants,
  domainEventsTable,
  placeOrderSaga,
  type CompensationLog,
  type OrderData,
} from './place-order-saga';

export const T0 = Date.parse('2030-01-01T00:00:00.000Z');
export const LEASE_MS = 30_000;
export const TIMEOUT_MS = 5_000;
export const INVOKE_BACKOFF_MS = 1_000;
export const COMPENSATE_BACKOFF_MS = 2_000;

export async function createHarness(engine: Engine) {
  const db: TestDatabase = await createTestDatabase(engine);
  await runMigrations(db, sagaMigrationsDir);
  await db.exec(domainEventsTable);
  const clock = new FakeClock(T0);
  const participants = createParticipants();
  const compensations: CompensationLog = [];
  const definition = placeOrderSaga(participants, compensations);

  const makeEngine = (options: Partial<SagaEngineOptions> = {}): SagaEngine =>
    createSagaEngine({
      db,
      definitions: [definition],
      clock,
      owner: 'engine-a',
      leaseMs: LEASE_MS,
      pollIntervalMs: 1_000,
      policies: {
        invoke: { timeoutMs: TIMEOUT_MS, maxAttempts: 3, backoff: constantBackoff(INVOKE_BACKOFF_MS) },
        compensate: { timeoutMs: TIMEOUT_MS, maxAttempts: 3, backoff: constantBackoff(COMPENSATE_BACKOFF_MS) },
      },
      ...options,
    });
  const engineA = makeEngine();

  const order = (orderId = 'order-1'): OrderData => ({ orderId, amount: 42 });

  /** Runs due work, then moves the fake clock to each next attempt, until the saga stops being active. */
  async function settle(sagaId: string, engine: SagaEngine = engineA, maxPasses = 50): Promise<void> {
    for (let pass = 0; pass < maxPasses; pass++) {
      await engine.runDue();
      const instance = await engine.get(sagaId);
      if (!instance || (instance.state !== SagaState.RUNNING && instance.state !== SagaState.COMPENSATING)) return;
      const due = Date.parse(instance.nextAttemptAt!);
      if (due > clock.now()) await clock.advance(due - clock.now());
    }
    throw new Error(`saga ${sagaId} still active after ${maxPasses} passes`);
  }

  async function domainEvents(orderId = 'order-1'): Promise<string[]> {
    const result = await db.query<{ type: string }>('SELECT type FROM domain_events WHERE order_id = $1 ORDER BY id', [
      orderId,
    ]);
    return result.rows.map((row) => row.type);
  }

  return {
    db: db as Database & { url?: string },
    clock,
    participants,
    compensations,
    definition,
    engine: engineA,
    makeEngine,
    order,
    settle,
    domainEvents,
    close: () => db.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
