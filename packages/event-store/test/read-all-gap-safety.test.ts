/**
 * readAll must never return an event behind one it already returned. Event positions come from a sequence at
 * insert time, but transactions commit in any order, so a slow transaction can commit position 1 after position 2
 * is visible. These tests hold a transaction open to create exactly that situation.
 */
import { describeOnPostgres } from '@shop/db/testing';
import { ConcurrencyError, handleCommand, positionOf } from '../src';
import { useTestStore, latch, untilLogSettles } from './fixtures/store';

const placed = { type: 'OrderPlaced', data: {} };
const streamsOf = (events: readonly { streamId: string }[]) => events.map((event) => event.streamId);

describeOnPostgres('gap safety with two connections', 'PGlite has one connection', () => {
  const t = useTestStore('postgres');

  /** Appends `streamId` in a transaction that stays open until `commit.release()`; resolves once it has appended. */
  async function appendAndHoldOpen(streamId: string) {
    const appended = latch();
    const commit = latch();
    const committed = t.store.transaction(async (tx) => {
      await t.store.appendToStream(streamId, [placed], { tx });
      appended.release();
      await commit.promise;
    });
    await appended.promise;
    return { commit: commit.release, committed };
  }

  it('does not return an event committed after a still-open, earlier-positioned one until that one commits', async () => {
    const slow = await appendAndHoldOpen('slow'); // takes global position 1, stays open
    await t.store.appendToStream('fast', [placed]); // position 2, committed

    const committedRows = await t.db.query('SELECT stream_id FROM event_store_events ORDER BY global_position');
    expect(committedRows.rows).toEqual([{ stream_id: 'fast' }]); // what a naive reader would hand out now…
    const early = await t.store.readAll();
    expect(early).toEqual([]); // …and would then never go back for position 1

    slow.commit();
    await slow.committed;
    await untilLogSettles(t.db);
    expect(streamsOf(await t.store.readAll())).toEqual(['slow', 'fast']);
  });

  it('never hands a reader an event behind its checkpoint, whatever the commit order', async () => {
    await t.store.appendToStream('first', [placed]);
    await untilLogSettles(t.db);
    const [seenFirst] = await t.store.readAll();
    const checkpoint = positionOf(seenFirst!);

    const slow = await appendAndHoldOpen('slow');
    await t.store.appendToStream('fast', [placed]);
    expect(await t.store.readAll({ after: checkpoint })).toEqual([]);

    slow.commit();
    await slow.committed;
    await untilLogSettles(t.db);
    const next = await t.store.readAll({ after: checkpoint });
    expect(streamsOf(next)).toEqual(['slow', 'fast']);
    // Every event is returned exactly once across both reads.
    expect(await t.store.readAll({ after: positionOf(next.at(-1)!) })).toEqual([]);
  });

  it('orders by transaction id: a transaction that started writing first is read first, even at a higher position', async () => {
    const olderTransaction = latch();
    const older = t.store.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // this transaction now has the older id
      olderTransaction.release();
      await youngerCommitted.promise;
      await t.store.appendToStream('older', [placed], { tx }); // but the higher position
    });
    const youngerCommitted = latch();
    await olderTransaction.promise;
    await t.store.appendToStream('younger', [placed]);
    youngerCommitted.release();
    await older;
    await untilLogSettles(t.db);

    const log = await t.store.readAll();
    expect(streamsOf(log)).toEqual(['older', 'younger']);
    expect(log[0]!.globalPosition).toBeGreaterThan(log[1]!.globalPosition);
  });

  it("rejects an append that would sort before its stream's previous event, and a retry succeeds", async () => {
    const olderTransaction = latch();
    const youngerCommitted = latch();
    const older = t.store.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // e.g. saga state written before the append
      olderTransaction.release();
      await youngerCommitted.promise;
      await t.store.appendToStream('order-1', [placed], { tx });
    });
    await olderTransaction.promise;
    await t.store.appendToStream('order-1', [placed]);
    youngerCommitted.release();

    await expect(older).rejects.toBeInstanceOf(ConcurrencyError);
    await t.store.appendToStream('order-1', [placed], { expectedVersion: 1 });
    await untilLogSettles(t.db);
    const log = await t.store.readAll();
    expect(log.map((event) => event.version)).toEqual([1, 2]);
  });

  it('rejects a command whose transaction is older than the last append to its stream (the read checks the head)', async () => {
    const olderTransaction = latch();
    const youngerCommitted = latch();
    const count = { type: 'Count', data: {} };
    const counter = { initialState: () => 0, evolve: (n: number) => n + 1, decide: () => [count] };
    const older = t.store.transaction(async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // e.g. saga state written before the command
      olderTransaction.release();
      await youngerCommitted.promise;
      await handleCommand(t.store, counter, 'order-1', {}, { tx });
    });
    await olderTransaction.promise;
    await handleCommand(t.store, counter, 'order-1', {});
    youngerCommitted.release();

    await expect(older).rejects.toMatchObject({ name: 'ConcurrencyError', expected: 'any', actual: 1 });
    await handleCommand(t.store, counter, 'order-1', {}); // a new, younger transaction succeeds
    await untilLogSettles(t.db);
    const log = await t.store.readAll();
    expect(log.map((event) => event.version)).toEqual([1, 2]);
  });

  it('lets a command that waited for the stream lock decide on the events of the writer it waited for', async () => {
    const count = { type: 'Count', data: {} };
    const counter = { initialState: () => 0, evolve: (n: number) => n + 1, decide: () => [count] };
    const appended = latch();
    const commit = latch();
    const first = t.store.transaction(async (tx) => {
      await handleCommand(t.store, counter, 'order-1', {}, { tx });
      appended.release();
      await commit.promise;
    });
    await appended.promise;
    const second = handleCommand(t.store, counter, 'order-1', {}); // no retries: it must not need one
    // The second command is queued on the lock (its load is one statement: lock, then read with a fresh snapshot).
    for (;;) {
      const { rows } = await t.db.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      if (rows.length > 0) break;
      await new Promise(setImmediate);
    }
    commit.release();
    await first;
    // It read after the lock was granted, so it saw the first command's event and appended version 2.
    await expect(second).resolves.toMatchObject({ state: 2, version: 2 });
  });
});

describe('gap safety on pglite (one connection)', () => {
  const t = useTestStore('pglite');

  it('serialises transactions, so a reader queued behind an open transaction sees it committed', async () => {
    const appended = latch();
    const commit = latch();
    const slow = t.store.transaction(async (tx) => {
      await t.store.appendToStream('slow', [placed], { tx });
      appended.release();
      await commit.promise;
    });
    await appended.promise;
    // Both wait for the open transaction: PGlite has one connection, so there is no second transaction to commit
    // out of order, and no gap to skip.
    const reader = t.store.readAll();
    const fast = t.store.appendToStream('fast', [placed]);
    commit.release();
    await Promise.all([slow, fast]);

    // Had the reader run inside the open transaction it would have seen nothing (its own snapshot excludes the
    // running transaction); it saw the committed event, so it ran after the commit.
    expect(streamsOf(await reader)).toEqual(['slow']);
    expect(streamsOf(await t.store.readAll())).toEqual(['slow', 'fast']);
  });

  it('hides events of a transaction that is still running from a read inside it', async () => {
    await t.store.transaction(async (tx) => {
      await t.store.appendToStream('mine', [placed], { tx });
      expect(await t.store.readAll({ tx })).toEqual([]);
      expect((await t.store.readStream('mine', { tx })).currentVersion).toBe(1);
    });
    expect(streamsOf(await t.store.readAll())).toEqual(['mine']);
  });

  it('pages through the log with after and limit', async () => {
    for (const stream of ['a', 'b', 'c', 'd', 'e']) await t.store.appendToStream(stream, [placed]);
    const firstPage = await t.store.readAll({ limit: 2 });
    const secondPage = await t.store.readAll({ after: positionOf(firstPage.at(-1)!), limit: 2 });
    const lastPage = await t.store.readAll({ after: positionOf(secondPage.at(-1)!), limit: 2 });
    expect([firstPage, secondPage, lastPage].map(streamsOf)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
