import { testEngines } from '@shop/db/testing';
import { handleCommand, type EventStore } from '../src';
import { DeciderSpecification } from '../src/testing';
import { orderDecider, OrderRuleViolated, type OrderCommand } from './fixtures/order-decider';
import { useTestStore } from './fixtures/store';

const now = '2026-01-02T10:00:00.000Z';
const placed = { type: 'OrderPlaced' as const, data: { orderId: 'o-1', items: 2, placedAt: now } };

describe('order decider specification', () => {
  const spec = DeciderSpecification.for(orderDecider);

  it('places a new order', () => {
    spec
      .given([])
      .when({ type: 'PlaceOrder', data: { orderId: 'o-1', items: 2, now } })
      .then([placed]);
  });

  it('confirms a placed order, with the time from the command', () => {
    spec
      .given([placed])
      .when({ type: 'ConfirmOrder', data: { now } })
      .then([{ type: 'OrderConfirmed', data: { confirmedAt: now } }]);
  });

  it('does nothing when a confirmation is repeated', () => {
    spec
      .given([placed, { type: 'OrderConfirmed', data: { confirmedAt: now } }])
      .when({ type: 'ConfirmOrder', data: { now } })
      .then([]);
  });

  it('refuses to cancel a cancelled order', () => {
    spec
      .given([placed, { type: 'OrderCancelled', data: { reason: 'changed mind', cancelledAt: now } }])
      .when({ type: 'CancelOrder', data: { reason: 'again', now } })
      .thenThrows(OrderRuleViolated, (error) => expect(error.message).toBe('cannot cancel a cancelled order'));
  });

  it('fails the specification when the wrong error (or none) is thrown', () => {
    expect(() =>
      spec
        .given([])
        .when({ type: 'PlaceOrder', data: { orderId: 'o', items: 1, now } })
        .thenThrows(OrderRuleViolated),
    ).toThrow(/expected OrderRuleViolated, but decide returned/);
    expect(() => spec.given([]).when({ type: 'ConfirmOrder', data: { now } }).thenThrows(TypeError)).toThrow(
      /expected TypeError, but decide threw OrderRuleViolated/,
    );
  });
});

describe.each(testEngines())('handleCommand on %s', (engine) => {
  const t = useTestStore(engine);

  const place: OrderCommand = { type: 'PlaceOrder', data: { orderId: 'o-1', items: 2, now } };
  const confirm: OrderCommand = { type: 'ConfirmOrder', data: { now } };

  it('loads, decides and appends at the loaded version, returning the new state', async () => {
    const first = await handleCommand(t.store, orderDecider, 'order-o-1', place, {
      metadata: { correlationId: 'c-1' },
    });
    expect(first).toMatchObject({ version: 1, state: { status: 'placed', items: 2 } });
    expect(first.newEvents[0]).toMatchObject({ type: 'OrderPlaced', version: 1, metadata: { correlationId: 'c-1' } });

    const second = await handleCommand(t.store, orderDecider, 'order-o-1', confirm);
    expect(second).toMatchObject({ version: 2, state: { status: 'confirmed' } });

    const repeat = await handleCommand(t.store, orderDecider, 'order-o-1', confirm);
    expect(repeat).toMatchObject({ version: 2, newEvents: [] });
  });

  it('lets domain errors through and appends nothing', async () => {
    await expect(handleCommand(t.store, orderDecider, 'order-o-1', confirm)).rejects.toBeInstanceOf(OrderRuleViolated);
    expect((await t.store.readStream('order-o-1')).events).toEqual([]);
  });

  it('fails with ConcurrencyError when the client-supplied version is stale', async () => {
    await handleCommand(t.store, orderDecider, 'order-o-1', place);
    await handleCommand(t.store, orderDecider, 'order-o-1', confirm);
    const error = await handleCommand(t.store, orderDecider, 'order-o-1', confirm, {
      expectedVersion: 1,
      retryOnConflict: 3,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConcurrencyError', streamId: 'order-o-1', expected: 1, actual: 2 });
  });

  it('retries on fresh state when another writer appended between load and append', async () => {
    await handleCommand(t.store, orderDecider, 'order-o-1', place);
    await handleCommand(t.store, orderDecider, 'order-o-1', { type: 'CancelOrder', data: { reason: 'racer', now } });
    // Stage the race: the first load misses the cancellation, as if it ran just before the other writer committed.
    let staleReads = 0;
    const racingStore = (stale: number): EventStore => ({
      ...t.store,
      async readStreamForAppend(tx, streamId, expected) {
        const slice = await t.store.readStreamForAppend(tx, streamId, expected);
        if (staleReads++ >= stale) return slice;
        return { currentVersion: 1, events: slice.events.filter((event) => event.version === 1) };
      },
    });

    const notRetried = await handleCommand(racingStore(1), orderDecider, 'order-o-1', confirm).catch((e: unknown) => e);
    // The stale read stands in for a writer that got past the lock, so the unique (stream, version) index is what
    // catches it: the loser learns of the conflict without the actual version.
    expect(notRetried).toMatchObject({ name: 'ConcurrencyError', expected: 1 });

    staleReads = 0;
    // On fresh state the order is cancelled, so the retry decides differently: a domain error, decided on the truth.
    const retried = handleCommand(racingStore(1), orderDecider, 'order-o-1', confirm, { retryOnConflict: 1 });
    await expect(retried).rejects.toBeInstanceOf(OrderRuleViolated);
    expect(staleReads).toBe(2);
  });

  it('costs two statements per command: the lock with the read (which checks the head), and the insert', async () => {
    await handleCommand(t.store, orderDecider, 'order-o-1', place);
    const statements: string[] = [];
    await t.store.transaction(async (tx) => {
      const counting = {
        ...tx,
        query: ((sql: string, params?: readonly unknown[]) => {
          statements.push(sql.trim().split(/\s+/)[0]!);
          return tx.query(sql, params);
        }) as typeof tx.query,
      };
      await handleCommand(t.store, orderDecider, 'order-o-1', confirm, { tx: counting });
    });
    expect(statements).toEqual(['SELECT', 'INSERT']);
  });

  it('commits alsoWrite with the append', async () => {
    await t.db.exec('CREATE TABLE outbox (event_type text NOT NULL)');
    await handleCommand(t.store, orderDecider, 'order-o-1', place, {
      alsoWrite: (events) =>
        events.map((event) => ({ sql: 'INSERT INTO outbox (event_type) VALUES ($1)', params: [event.type] })),
    });
    expect((await t.db.query('SELECT event_type FROM outbox')).rows).toEqual([{ event_type: 'OrderPlaced' }]);
  });
});
