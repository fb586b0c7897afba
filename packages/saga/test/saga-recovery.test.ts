// Crashes, restarts and competing processes: the lease and the persisted step log make each step effectively once.
import { FakeClock } from '@shop/clock';
import { openPostgresDatabase, type Database } from '@shop/db';
import { testEngines } from '@shop/db/testing';
import { SagaState, type SagaLogger } from '../src';
import { createHarness, LEASE_MS, T0, TIMEOUT_MS, type Harness } from './support/harness';

/** The warnings and errors among logged lines (each attempt also logs an info line inside its span). */
const problems = (lines: string[]) => lines.filter((line) => !line.startsWith('info:'));

/** Later than any lease engine A can have taken at T0: its attempt's timeout plus the lease. */
const AFTER_LEASE = T0 + TIMEOUT_MS + LEASE_MS + 1;

function recordingLogger(): SagaLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (_object: object, message?: string) => void lines.push(`${level}: ${message}`);
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

describe.each(testEngines())('saga recovery on %s', (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  it('resumes a saga whose process died mid-step, after the lease expires, with the same idempotency key', async () => {
    // Engine A's clock never moves again, so its pending call never times out: for the saga, A is simply gone.
    h.participants.ship.failNext('hang');
    await h.engine.start('place-order', 'saga-1', h.order());
    void h.engine.runDue();
    await h.participants.ship.whenCalled(1);

    const clockB = new FakeClock(T0 + LEASE_MS); // the lease covers the step's timeout too: still A's
    const engineB = h.makeEngine({ clock: clockB, owner: 'engine-b' });
    expect(await engineB.runDue()).toBe(0);
    const inFlight = await engineB.get('saga-1');
    expect(inFlight).toMatchObject({
      state: SagaState.RUNNING,
      currentStep: 'createShipment',
      lease: { owner: 'engine-a' },
    });
    expect(inFlight!.steps.at(-1)).toMatchObject({ step: 'createShipment', attempt: 1 });
    expect(inFlight!.steps.at(-1)!.outcome).toBeUndefined(); // started, never finished

    await clockB.advance(AFTER_LEASE - clockB.now());
    expect(await engineB.runDue()).toBe(1);

    const saga = await engineB.get('saga-1');
    expect(saga!.state).toBe(SagaState.COMPLETED);
    expect(h.participants.ship.calls).toEqual([
      { key: 'saga-1:createShipment', attempt: 1 },
      { key: 'saga-1:createShipment', attempt: 2 },
    ]);
    expect(h.participants.charge.calls).toHaveLength(1); // completed steps are not repeated
  });

  it('records in the step log which process made each attempt and until when its lease held it', async () => {
    // With replicas on one database this is the proof that no step ran in two processes at once: the attempt that
    // took over starts after the end of the lease the cut-off attempt held.
    h.participants.ship.failNext('hang');
    await h.engine.start('place-order', 'saga-1', h.order());
    void h.engine.runDue();
    await h.participants.ship.whenCalled(1);
    const engineB = h.makeEngine({ clock: new FakeClock(AFTER_LEASE), owner: 'engine-b' });
    expect(await engineB.runDue()).toBe(1);

    const { rows } = await h.db.query<{
      attempt: number;
      lease_owner: string;
      finished: boolean;
      started_at: Date;
      lease_until: Date;
    }>(
      `SELECT attempt, lease_owner, finished_at IS NOT NULL AS finished, started_at, lease_until
         FROM saga_step_log WHERE saga_id = 'saga-1' AND step_name = 'createShipment' ORDER BY id`,
    );
    expect(rows.map(({ attempt, lease_owner, finished }) => ({ attempt, lease_owner, finished }))).toEqual([
      { attempt: 1, lease_owner: 'engine-a', finished: false },
      { attempt: 2, lease_owner: 'engine-b', finished: true },
    ]);
    expect(rows[0]!.lease_until.getTime()).toBe(T0 + TIMEOUT_MS + LEASE_MS);
    expect(rows[1]!.started_at.getTime()).toBeGreaterThan(rows[0]!.lease_until.getTime());
  });

  it('repeats a call whose effect happened but was never recorded, and the idempotent participant applies it once', async () => {
    // Engine A's database dies right after the payment went through, before the engine could record it.
    const dyingDb: Database = {
      ...h.db,
      transaction: (work) =>
        h.participants.charge.applied.size > 0 ? Promise.reject(new Error('connection lost')) : h.db.transaction(work),
    };
    const logger = recordingLogger();
    const engineA = h.makeEngine({ db: dyingDb, logger });
    await engineA.start('place-order', 'saga-1', h.order());
    await engineA.runDue();
    expect(problems(logger.lines)).toEqual(['error: saga run interrupted; it resumes when its lease expires']);
    expect(await h.domainEvents()).toEqual([]);

    const engineB = h.makeEngine({ clock: new FakeClock(AFTER_LEASE), owner: 'engine-b' });
    await engineB.runDue();

    expect((await engineB.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
    expect(h.participants.charge.keys()).toEqual(['saga-1:processPayment', 'saga-1:processPayment']);
    expect(h.participants.charge.applied.size).toBe(1); // charged once
    expect(await h.domainEvents()).toEqual(['PaymentRecorded', 'OrderConfirmed']);
  });

  it('refuses the late writes of a process that stalled past its lease once another took over', async () => {
    h.participants.ship.holdNextResponse();
    const logger = recordingLogger();
    const engineA = h.makeEngine({ logger });
    await engineA.start('place-order', 'saga-1', h.order());
    const stalled = engineA.runDue();
    await h.participants.ship.whenCalled(1);

    const engineB = h.makeEngine({ clock: new FakeClock(AFTER_LEASE), owner: 'engine-b' });
    await engineB.runDue();
    expect((await engineB.get('saga-1'))!.state).toBe(SagaState.COMPLETED);

    h.participants.ship.release(); // A wakes up with its answer, long after losing the lease
    await stalled;
    expect(problems(logger.lines)).toEqual(['warn: saga lease lost to another process; stopped running it here']);
    const saga = await engineB.get('saga-1');
    expect(saga!.state).toBe(SagaState.COMPLETED);
    expect(saga!.steps.filter((s) => s.step === 'confirmOrder')).toHaveLength(1);
    // A's attempt keeps no outcome either: closing it is part of the fenced write that found no lease.
    const [attemptOfA, attemptOfB] = saga!.steps.filter((s) => s.step === 'createShipment');
    expect(attemptOfA).not.toHaveProperty('outcome');
    expect(attemptOfB).toMatchObject({ outcome: 'succeeded' });
    expect(await h.domainEvents()).toEqual(['PaymentRecorded', 'OrderConfirmed']);
  });

  it('lets only one of two racing engines run each instance', async () => {
    // On Postgres the second engine gets its own connection pool, as a second process would.
    const dbB = h.db.url ? openPostgresDatabase({ url: h.db.url }) : h.db;
    try {
      const engineA = h.makeEngine({ owner: 'engine-a' });
      const engineB = h.makeEngine({ db: dbB, owner: 'engine-b' });
      const ids = ['saga-1', 'saga-2', 'saga-3', 'saga-4', 'saga-5', 'saga-6'];
      for (const id of ids) await engineA.start('place-order', id, h.order(id));

      const [ranA, ranB] = await Promise.all([engineA.runDue(), engineB.runDue()]);

      expect(ranA + ranB).toBe(ids.length);
      for (const participant of [h.participants.reserveStock, h.participants.charge, h.participants.confirm]) {
        expect(participant.calls).toHaveLength(ids.length);
        expect(participant.applied.size).toBe(ids.length);
      }
      expect(await engineA.countByState()).toMatchObject({ COMPLETED: ids.length });
    } finally {
      if (dbB !== h.db) await dbB.close();
    }
  });
});
