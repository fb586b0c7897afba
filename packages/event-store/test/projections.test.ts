import { describeOnPostgres, itOnEngine, testEngines, type TestDatabase } from '@shop/db/testing';
import {
  createEventStore,
  createProjector,
  readCheckpoint,
  rebuildProjection,
  type EventStore,
  type Projector,
} from '../src';
import { counterProjection } from './fixtures/counter-projection';
import { createTestStore, latch, untilLogSettles } from './fixtures/store';

const STREAMS = 1000;
const EVENTS = 1000;

describe.each(testEngines())('projections on %s', (engine) => {
  let db: TestDatabase;
  let store: EventStore;
  const inline = counterProjection('inline');
  const async_ = counterProjection('async');
  let projector: Projector | undefined;

  beforeEach(async () => {
    ({ db } = await createTestStore(engine));
    await inline.createTables(db);
    await async_.createTables(db);
    store = createEventStore(db, { inlineProjections: [inline] });
  });
  afterEach(async () => {
    await projector?.stop();
    projector = undefined;
    await db.close();
  });

  it('updates an inline projection in the appending transaction, and not at all when it rolls back', async () => {
    await store.appendToStream('s-1', [{ type: 'Counted', data: {} }]);
    await store
      .transaction(async (tx) => {
        await store.appendToStream('s-2', [{ type: 'Counted', data: {} }], { tx });
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await inline.snapshot(db)).toEqual({
      perStream: [{ stream_id: 's-1', events: 1, last_version: 1 }],
      totals: [{ total_events: 1, streams: 1 }],
    });
  });

  it('catches an async projection up in batches and stores its checkpoint', async () => {
    for (let i = 0; i < 7; i++) await store.appendToStream(`s-${i % 3}`, [{ type: 'Counted', data: {} }]);
    projector = createProjector(store, async_, { batchSize: 3 });
    await untilLogSettles(db);

    expect(await projector.catchUp()).toBe(7);
    expect(await projector.catchUp()).toBe(0);
    const last = (await store.readAll()).at(-1)!;
    expect(await readCheckpoint(db, async_.name)).toEqual({
      transactionId: last.transactionId,
      globalPosition: last.globalPosition,
    });
    expect(await async_.snapshot(db)).toEqual(await inline.snapshot(db));
  });

  it('rolls back a failing batch together with its checkpoint', async () => {
    await store.appendToStream('s-1', [{ type: 'Counted', data: {} }]);
    await untilLogSettles(db); // another suite's open transaction on a shared server may still hide it from readAll
    const failing = { ...async_, handle: () => Promise.reject(new Error('read model down')) };
    await expect(createProjector(store, failing).catchUp()).rejects.toThrow('read model down');
    expect(await readCheckpoint(db, async_.name)).toBeUndefined(); // not even the row survived the rollback
    expect(await createProjector(store, async_).catchUp()).toBe(1);
  });

  it('never applies a batch twice when two projector instances run at once', async () => {
    for (let i = 0; i < 20; i++) await store.appendToStream(`s-${i % 4}`, [{ type: 'Counted', data: {} }]);
    await untilLogSettles(db);
    const counts = await Promise.all(
      [createProjector(store, async_, { batchSize: 3 }), createProjector(store, async_, { batchSize: 3 })].map((p) =>
        p.catchUp(),
      ),
    );
    expect(counts[0]! + counts[1]!).toBe(20);
    expect(await async_.snapshot(db)).toEqual(await inline.snapshot(db));
  });

  // PGlite only: on a shared Postgres server another database's open transaction can hide the event at the moment of
  // the wake-up (a cluster-wide snapshot horizon), and then only the poll, an hour here, would pick it up.
  itOnEngine(
    engine,
    'pglite',
    'no foreign transactions',
  )('wakes a started projector on an append through the store, without waiting for the poll', async () => {
    const projected = latch();
    projector = createProjector(store, async_, {
      pollIntervalMs: 3_600_000, // only a wake-up can make this test pass in time
      onBatch: () => projected.release(),
    });
    projector.start();
    await store.appendToStream('s-1', [{ type: 'Counted', data: {} }]);
    await projected.promise;
    expect(await async_.snapshot(db)).toMatchObject({ totals: [{ total_events: 1, streams: 1 }] });
  });

  it(`rebuilds to the same read model as the live one, on ${STREAMS} streams and ${EVENTS} more events`, async () => {
    projector = createProjector(store, async_, { batchSize: 250 });
    // Build the log in a few large transactions: one append per stream, then more events on a spread of streams.
    await store.transaction(async (tx) => {
      for (let i = 0; i < STREAMS; i++) await store.appendToStream(`s-${i}`, [{ type: 'Counted', data: {} }], { tx });
    });
    await projector.catchUp(); // the async model is live, part-way
    await store.transaction(async (tx) => {
      for (let i = 0; i < EVENTS; i++) {
        await store.appendToStream(`s-${(i * 7) % STREAMS}`, [{ type: 'Counted', data: { i } }], { tx });
      }
    });
    await untilLogSettles(db);
    await projector.catchUp();

    const live = await inline.snapshot(db);
    expect(live).toMatchObject({ totals: [{ total_events: STREAMS + EVENTS, streams: STREAMS }] });
    expect(await async_.snapshot(db)).toEqual(live);

    await db.query('UPDATE inline_summary SET total_events = 0'); // damage both models: the rebuild must not care
    await db.query('DELETE FROM async_stream_counters WHERE stream_id LIKE $1', ['s-1%']);
    expect(await rebuildProjection(store, inline)).toEqual({ replayed: STREAMS + EVENTS });
    await untilLogSettles(db);
    expect(await rebuildProjection(store, async_)).toEqual({ replayed: STREAMS + EVENTS });

    expect(await inline.snapshot(db)).toEqual(live);
    expect(await async_.snapshot(db)).toEqual(live);
    expect(await projector.catchUp()).toBe(0); // the rebuild left the checkpoint at the end of the log
  }, 180_000); // ~10k statements: a minute on a busy 2-core machine with PGlite
});

async function rebuildIsWaitingForLock(db: TestDatabase): Promise<boolean> {
  const { rows } = await db.query(
    "SELECT 1 FROM pg_locks WHERE NOT granted AND relation = 'event_store_events'::regclass AND mode = 'ShareLock'",
  );
  return rows.length > 0;
}

describeOnPostgres('inline rebuild racing an append', 'two connections', () => {
  it('waits for an in-flight append, so its event is counted exactly once', async () => {
    const { db } = await createTestStore('postgres');
    try {
      const inline = counterProjection('inline');
      await inline.createTables(db);
      const store = createEventStore(db, { inlineProjections: [inline] });
      await store.appendToStream('s-1', [{ type: 'Counted', data: {} }]);

      const appended = latch();
      const commit = latch();
      const inFlight = store.transaction(async (tx) => {
        await store.appendToStream('s-2', [{ type: 'Counted', data: {} }], { tx }); // inline model already updated
        appended.release();
        await commit.promise;
      });
      await appended.promise;
      const rebuild = rebuildProjection(store, inline);
      // Proceed only once the rebuild is really queued on its SHARE lock behind the open append.
      while (!(await rebuildIsWaitingForLock(db))) await new Promise(setImmediate);
      commit.release();
      await inFlight;
      expect(await rebuild).toEqual({ replayed: 2 });
      await store.appendToStream('s-3', [{ type: 'Counted', data: {} }]);

      expect(await inline.snapshot(db)).toMatchObject({ totals: [{ total_events: 3, streams: 3 }] });
    } finally {
      await db.close();
    }
  });
});
