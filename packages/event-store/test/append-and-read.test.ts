import { isUniqueViolation } from '@shop/db';
import { testEngines } from '@shop/db/testing';
import { ConcurrencyError } from '../src';
import { useTestStore, FIXED_NOW } from './fixtures/store';

const added = (sku: string) => ({ type: 'ItemAdded', data: { sku } });
/** `alsoWrite` for a test outbox table: one row per event. */
const outboxRow = (events: readonly { eventId: string; type: string }[]) =>
  events.map((event) => ({
    sql: 'INSERT INTO outbox (event_id, event_type) VALUES ($1::uuid, $2)',
    params: [event.eventId, event.type],
  }));

describe.each(testEngines())('append and read on %s', (engine) => {
  const t = useTestStore(engine);

  it('records events with 1-based versions, positions, metadata and the injected clock', async () => {
    const result = await t.store.appendToStream('cart-1', [added('a'), added('b')], {
      expectedVersion: 'no_stream',
      metadata: { correlationId: 'corr-1', traceparent: '00-abc-def-01' },
    });

    expect(result.nextExpectedVersion).toBe(2);
    const [first, second] = result.events;
    expect(first).toMatchObject({
      streamId: 'cart-1',
      version: 1,
      type: 'ItemAdded',
      data: { sku: 'a' },
      metadata: { correlationId: 'corr-1', traceparent: '00-abc-def-01' },
      recordedAt: FIXED_NOW,
    });
    expect(first!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second!.version).toBe(2);
    expect(second!.globalPosition).toBeGreaterThan(first!.globalPosition);
  });

  it('keeps a caller-chosen event id and lets event metadata override the append metadata', async () => {
    const eventId = '01890a5d-ac96-774b-bcce-b302099a8057';
    const { events } = await t.store.appendToStream(
      'cart-1',
      [{ ...added('a'), eventId, metadata: { causationId: 'cmd-9', correlationId: 'own' } }],
      { metadata: { correlationId: 'shared' } },
    );
    expect(events[0]).toMatchObject({ eventId, metadata: { causationId: 'cmd-9', correlationId: 'own' } });
  });

  it('reads a stream from version 0, 1 or later, and reports its version', async () => {
    await t.store.appendToStream('cart-1', [added('a'), added('b'), added('c')]);
    await t.store.appendToStream('cart-2', [added('x')]);

    const fromZero = await t.store.readStream('cart-1', { fromVersion: 0 });
    expect(fromZero.events.map((event) => event.version)).toEqual([1, 2, 3]);
    expect(fromZero.currentVersion).toBe(3);
    expect((await t.store.readStream('cart-1', { fromVersion: 1 })).events).toHaveLength(3);
    expect((await t.store.readStream('cart-1', { fromVersion: 3 })).events.map((event) => event.data)).toEqual([
      { sku: 'c' },
    ]);
    expect(await t.store.readStream('cart-1', { fromVersion: 4 })).toEqual({ currentVersion: 3, events: [] });
    expect(await t.store.readStream('nobody')).toEqual({ currentVersion: 0, events: [] });
  });

  it('checks the expected version: exact number, no_stream and any', async () => {
    await t.store.appendToStream('cart-1', [added('a')], { expectedVersion: 'no_stream' });
    await t.store.appendToStream('cart-1', [added('b')], { expectedVersion: 1 });
    await t.store.appendToStream('cart-1', [added('c')], { expectedVersion: 'any' });

    const stale = await t.store.appendToStream('cart-1', [added('d')], { expectedVersion: 1 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConcurrencyError);
    expect(stale).toMatchObject({ streamId: 'cart-1', expected: 1, actual: 3, statusCode: 409 });

    const exists = await t.store
      .appendToStream('cart-1', [added('e')], { expectedVersion: 'no_stream' })
      .catch((e: unknown) => e);
    expect(exists).toMatchObject({ streamId: 'cart-1', expected: 'no_stream', actual: 3 });
    expect((await t.store.readStream('cart-1')).currentVersion).toBe(3);
  });

  it('lets exactly one of several concurrent appends with the same expected version win', async () => {
    await t.store.appendToStream('cart-1', [added('a')]);
    const attempts = await Promise.allSettled(
      ['b', 'c', 'd', 'e'].map((sku) => t.store.appendToStream('cart-1', [added(sku)], { expectedVersion: 1 })),
    );

    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const lost = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(3);
    for (const { reason } of lost) expect(reason).toBeInstanceOf(ConcurrencyError);
    expect((await t.store.readStream('cart-1')).currentVersion).toBe(2);
  });

  it('leaves the final word to the unique (stream_id, version) index, whoever writes', async () => {
    await t.store.appendToStream('cart-1', [added('a')]);
    const bypass = await t.db
      .query(
        `INSERT INTO event_store_events (event_id, stream_id, version, type, data, recorded_at)
         VALUES (gen_random_uuid(), 'cart-1', 1, 'ItemAdded', '{}', now())`,
      )
      .catch((e: unknown) => e);
    expect(isUniqueViolation(bypass, 'event_store_events_stream_version_key')).toBe(true);
  });

  it("lets concurrent 'any' appends all succeed at consecutive versions", async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((sku) => t.store.appendToStream('cart-1', [added(sku)])));
    const { events } = await t.store.readStream('cart-1');
    expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4]);
  });

  it('appends inside the caller transaction, atomically with its other writes and alsoWrite', async () => {
    await t.db.exec('CREATE TABLE outbox (event_id uuid PRIMARY KEY, event_type text NOT NULL)');

    await t.store.transaction(async (tx) => {
      const { events } = await t.store.appendToStream('cart-1', [added('a')], { tx });
      for (const { sql, params } of outboxRow(events)) await tx.query(sql, params);
    });
    await t.store.appendToStream('cart-2', [added('b')], { alsoWrite: outboxRow });
    await expect(
      t.store.transaction(async (tx) => {
        await t.store.appendToStream('cart-3', [added('c')], { tx, alsoWrite: outboxRow });
        throw new Error('publish step failed');
      }),
    ).rejects.toThrow('publish step failed');

    const outbox = await t.db.query<{ event_type: string }>('SELECT event_type FROM outbox');
    expect(outbox.rows).toHaveLength(2);
    expect((await t.store.readStream('cart-3')).events).toEqual([]);
  });

  it('sends alsoWrite in the insert statement itself, and a failing write fails the append', async () => {
    await t.db.exec('CREATE TABLE outbox (event_id uuid PRIMARY KEY, event_type text NOT NULL)');
    const before = t.db.counters().roundTrips;
    await t.store.transaction((tx) =>
      t.store.appendToStream('cart-1', [added('a')], { tx, expectedVersion: 'no_stream', alsoWrite: outboxRow }),
    );
    // BEGIN, the head read (and on Postgres the stream lock), one statement for the event and its outbox row, COMMIT.
    expect(t.db.counters().roundTrips - before).toBe(engine === 'pglite' ? 4 : 5);

    // The same event id again: the outbox's primary key refuses it, and the event goes with it.
    const [{ event_id: takenId }] = (await t.db.query<{ event_id: string }>('SELECT event_id::text FROM outbox')).rows;
    await expect(
      t.store.appendToStream('cart-2', [{ ...added('b'), eventId: takenId! }], {
        alsoWrite: outboxRow,
      }),
    ).rejects.toThrow();
    expect((await t.store.readStream('cart-2')).events).toEqual([]);
  });

  it('refuses an empty append', async () => {
    await expect(t.store.appendToStream('cart-1', [])).rejects.toThrow('nothing to append');
  });
});
