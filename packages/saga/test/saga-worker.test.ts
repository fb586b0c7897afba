// The background worker: slots that stay filled while sagas are due, on the fake clock and a real database.
import { openPostgresDatabase } from '@shop/db';
import { testEngines } from '@shop/db/testing';
import { constantBackoff } from '@shop/resilience';
import { SagaState, type SagaEngine } from '../src';
import { createHarness, T0, TIMEOUT_MS, type Harness } from './support/harness';

/** Resolves when the worker frees the slot `sagaId` ran in, the `count`-th time from now. */
function whenReleased(engine: SagaEngine, sagaId: string, count = 1): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const unsubscribe = engine.on('released', (event) => {
      if (event.sagaId !== sagaId || ++seen < count) return;
      unsubscribe();
      resolve();
    });
  });
}

/** Resolves once every one of `sagaIds` has reached COMPLETED. */
function whenCompleted(engine: SagaEngine, ...sagaIds: string[]): Promise<void> {
  const waiting = new Set(sagaIds);
  return new Promise((resolve) => {
    const unsubscribe = engine.on('stateChanged', (event) => {
      if (event.to === SagaState.COMPLETED) waiting.delete(event.sagaId);
      if (waiting.size > 0) return;
      unsubscribe();
      resolve();
    });
  });
}

describe.each(testEngines())('saga worker on %s', (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  it('runs due sagas as many at a time as it has slots, and refills a slot as soon as it frees', async () => {
    const worker = h.makeEngine({ concurrency: 3 });
    const ids = ['saga-1', 'saga-2', 'saga-3', 'saga-4', 'saga-5'];
    for (const id of ids) await worker.start('place-order', id, h.order(id));
    for (const _ of ids) h.participants.reserveStock.holdNextResponse();
    let mostInFlight = 0;
    worker.on('stepStarted', () => void (mostInFlight = Math.max(mostInFlight, worker.sagasInFlight())));
    const allCompleted = whenCompleted(worker, ...ids);

    worker.startWorker();
    await h.participants.reserveStock.whenCalled(3);
    expect(worker.sagasInFlight()).toBe(3); // three slots, three claimed: the other two wait for a slot
    h.participants.reserveStock.release();
    await h.participants.reserveStock.whenCalled(5); // the freed slots took the last two, with no clock tick
    h.participants.reserveStock.release();
    await allCompleted;

    expect(mostInFlight).toBe(3);
    expect(h.participants.confirm.applied.size).toBe(ids.length);
    expect(h.clock.now()).toBe(T0); // not one poll interval was waited for
    await worker.stop();
  });

  it('fills a free slot on wake() while another saga keeps its own slot busy', async () => {
    const worker = h.makeEngine({ concurrency: 2 });
    worker.startWorker();
    h.participants.reserveStock.holdNextResponse();
    await worker.start('place-order', 'slow', h.order('slow')); // start() wakes the worker
    await h.participants.reserveStock.whenCalled(1); // slow now holds a slot, waiting on its answer

    const fastCompleted = whenCompleted(worker, 'fast');
    await worker.start('place-order', 'fast', h.order('fast'));
    await fastCompleted; // ran beside slow, at the same instant: a wake needs no pass to end first
    expect((await worker.get('slow'))!.state).toBe(SagaState.RUNNING);
    expect(h.clock.now()).toBe(T0);

    const slowCompleted = whenCompleted(worker, 'slow');
    h.participants.reserveStock.release();
    await slowCompleted;
    await worker.stop();
  });

  it('never runs one saga in two places at once: two workers on one database split the sagas', async () => {
    // On Postgres the second worker gets its own connection pool, as a second process would.
    const dbB = h.db.url ? openPostgresDatabase({ url: h.db.url }) : h.db;
    const workerA = h.makeEngine({ owner: 'engine-a', concurrency: 3 });
    const workerB = h.makeEngine({ db: dbB, owner: 'engine-b', concurrency: 3 });
    try {
      const ids = Array.from({ length: 8 }, (_, i) => `saga-${i + 1}`);
      const startedSteps = new Map<string, number>();
      for (const worker of [workerA, workerB]) {
        worker.on('stepStarted', ({ sagaId, step, attempt }) => {
          const key = `${sagaId}/${step}/${attempt}`;
          startedSteps.set(key, (startedSteps.get(key) ?? 0) + 1);
        });
      }
      const completed = new Set<string>();
      const allCompleted = new Promise<void>((resolve) => {
        for (const worker of [workerA, workerB]) {
          worker.on('stateChanged', ({ sagaId, to }) => {
            if (to === SagaState.COMPLETED) completed.add(sagaId);
            if (completed.size === ids.length) resolve();
          });
        }
      });
      for (const id of ids) await workerA.start('place-order', id, h.order(id));
      workerA.startWorker();
      workerB.startWorker();
      await allCompleted;
      await Promise.all([workerA.stop(), workerB.stop()]);

      expect(await workerA.countByState()).toMatchObject({ COMPLETED: ids.length });
      expect([...startedSteps.values()].every((count) => count === 1)).toBe(true);
      for (const participant of [h.participants.reserveStock, h.participants.charge, h.participants.confirm]) {
        expect(participant.calls).toHaveLength(ids.length);
      }
    } finally {
      if (dbB !== h.db) await dbB.close();
    }
  });

  it('does not claim when a slot frees after a claim that found fewer due sagas than free slots', async () => {
    const worker = h.makeEngine({ concurrency: 3 });
    worker.startWorker();
    const completed = whenCompleted(worker, 'only');
    const released = whenReleased(worker, 'only');
    await worker.start('place-order', 'only', h.order('only')); // the wake claims it: one of three free slots
    await completed;
    const before = h.db.counters().roundTrips;
    await released;
    for (let turn = 0; turn < 5; turn++) await new Promise(setImmediate); // room for a claim, had one been sent
    expect(h.db.counters().roundTrips).toBe(before); // the queue was drained: nothing more to ask for
    const next = whenCompleted(worker, 'next');
    await worker.start('place-order', 'next', h.order('next')); // ...until a wake announces more
    await next;
    await worker.stop();
  });

  it('does not claim a saga again the moment it is released due (no spin)', async () => {
    // After the pivot a failing step is retried for ever; with no backoff it is due again the moment it fails.
    const worker = h.makeEngine({ policies: { invoke: { timeoutMs: TIMEOUT_MS, backoff: constantBackoff(0) } } });
    h.participants.ship.failAlways('transient');
    await worker.start('place-order', 'spinner', h.order('spinner'));
    worker.startWorker();
    await whenReleased(worker, 'spinner');
    await h.clock.advance(0); // the claim that follows a release has begun
    await worker.stop(); // ...and has finished, with whatever it launched
    expect(h.participants.ship.calls).toHaveLength(1);
  });

  it('picks a released saga up again at the next tick', async () => {
    const worker = h.makeEngine({ policies: { invoke: { timeoutMs: TIMEOUT_MS, backoff: constantBackoff(0) } } });
    h.participants.ship.failAlways('transient');
    await worker.start('place-order', 'spinner', h.order('spinner'));
    worker.startWorker();
    await whenReleased(worker, 'spinner');
    const releasedAgain = whenReleased(worker, 'spinner');
    await h.clock.advance(1_000);
    await releasedAgain;
    await worker.stop();

    const shipAttempts = (await worker.get('spinner'))!.steps.filter((entry) => entry.step === 'createShipment');
    expect(shipAttempts.map((entry) => Date.parse(entry.startedAt))).toEqual([T0, T0 + 1_000]);
  });

  it('runs in the background: resumes at start-up, picks up backoffs when due, and leaves no timer after stop()', async () => {
    h.participants.reserveStock.failNext('transient');
    await h.engine.start('place-order', 'left-over', h.order('left-over')); // as if from before a restart

    const leftOverReleased = whenReleased(h.engine, 'left-over');
    h.engine.startWorker();
    await leftOverReleased; // the start-up fill ran it: now in backoff
    expect((await h.engine.get('left-over'))!.state).toBe(SagaState.RUNNING);
    const leftOverCompleted = whenCompleted(h.engine, 'left-over');
    await h.clock.advance(1_000);
    await leftOverCompleted;

    const freshCompleted = whenCompleted(h.engine, 'fresh');
    await h.engine.start('place-order', 'fresh', h.order('fresh')); // start() wakes the worker
    await freshCompleted;

    await h.engine.stop();
    expect(h.clock.pendingTimers()).toEqual([]);
  });
});
