// The engine's API around running sagas: starting (alone or in the caller's transaction), inspecting, retrying.
import { testEngines } from '@shop/db/testing';
import { SagaNotFoundError, SagaNotRetryableError, SagaState, UnknownSagaError, defineSaga } from '../src';
import { createHarness, type Harness } from './support/harness';

describe.each(testEngines())('saga engine API on %s', (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates the saga in the caller’s transaction: rolled back together with the order’s own writes', async () => {
    await expect(
      h.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO domain_events (order_id, type) VALUES ('order-1', 'OrderPlaced')`);
        await h.engine.start('place-order', 'saga-1', h.order(), { tx });
        throw new Error('order validation failed');
      }),
    ).rejects.toThrow('order validation failed');
    expect(await h.engine.get('saga-1')).toBeUndefined();

    await h.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO domain_events (order_id, type) VALUES ('order-1', 'OrderPlaced')`);
      await h.engine.start('place-order', 'saga-1', h.order(), { tx });
    });
    await h.engine.runDue();
    expect(await h.domainEvents()).toEqual(['OrderPlaced', 'PaymentRecorded', 'OrderConfirmed']);
  });

  it('treats starting an existing saga id as a no-op and rejects unknown saga names', async () => {
    expect(await h.engine.start('place-order', 'saga-1', h.order())).toEqual({ created: true });
    expect(await h.engine.start('place-order', 'saga-1', h.order('other'))).toEqual({ created: false });
    expect((await h.engine.get('saga-1'))!.data).toMatchObject({ orderId: 'order-1' });
    await expect(h.engine.start('refund', 'saga-2', {})).rejects.toBeInstanceOf(UnknownSagaError);
  });

  it('lists instances by state and counts every state, zeros included', async () => {
    h.participants.holdPoints.failNext('business');
    await h.engine.start('place-order', 'saga-1', h.order('order-1'));
    await h.engine.runDue();
    await h.engine.start('place-order', 'saga-2', h.order('order-2'));
    await h.engine.runDue();
    await h.engine.start('place-order', 'saga-3', h.order('order-3'));

    expect((await h.engine.list({ state: SagaState.COMPLETED })).map((s) => s.id)).toEqual(['saga-2']);
    expect((await h.engine.list()).map((s) => `${s.id}:${s.state}`)).toEqual([
      'saga-1:COMPENSATED',
      'saga-2:COMPLETED',
      'saga-3:RUNNING',
    ]);
    expect((await h.engine.list({ newestFirst: true, limit: 2 })).map((s) => s.id)).toEqual(['saga-3', 'saga-2']);
    expect(await h.engine.countByState()).toEqual({
      RUNNING: 1,
      COMPENSATING: 0,
      COMPLETED: 1,
      COMPENSATED: 1,
      NEEDS_ATTENTION: 0,
    });
  });

  it('shows the trace id of the request that started a saga, and none for an untraced start', async () => {
    await h.engine.start('place-order', 'saga-1', h.order('order-1'));
    expect(await h.engine.get('saga-1')).not.toHaveProperty('traceId');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await h.db.query(`UPDATE saga_instances SET trace_context = $1 WHERE id = 'saga-1'`, [
      `00-${traceId}-00f067aa0ba902b7-01`,
    ]);
    expect(await h.engine.get('saga-1')).toMatchObject({ traceId });
    expect((await h.engine.list())[0]).toMatchObject({ traceId });
  });

  it('retries only sagas that need attention', async () => {
    await expect(h.engine.retry('nope')).rejects.toBeInstanceOf(SagaNotFoundError);
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.engine.runDue();
    await expect(h.engine.retry('saga-1')).rejects.toEqual(new SagaNotRetryableError('saga-1', SagaState.COMPLETED));
  });

  it('parks an instance whose definition this process does not know, instead of guessing', async () => {
    await h.engine.start('place-order', 'saga-1', h.order());
    const other = defineSaga({ name: 'refund' }).step({
      name: 'refund',
      kind: 'retriable',
      invoke: async () => undefined,
    });
    const engineWithoutIt = h.makeEngine({ definitions: [other] });
    await engineWithoutIt.runDue();

    expect(await engineWithoutIt.get('saga-1')).toMatchObject({
      state: SagaState.NEEDS_ATTENTION,
      attention: { reason: 'no saga definition named "place-order"', resumesAs: SagaState.RUNNING },
    });
    await h.engine.retry('saga-1');
    await h.engine.runDue();
    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
  });
});
