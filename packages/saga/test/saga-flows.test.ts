// The paths through a saga: success, business failure before and after the pivot, transient failures, timeouts,
// compensations that keep failing, and hooks that fail.
import { testEngines } from '@shop/db/testing';
import { SagaState, type SagaEventMap } from '../src';
import {
  createHarness,
  COMPENSATE_BACKOFF_MS,
  INVOKE_BACKOFF_MS,
  T0,
  TIMEOUT_MS,
  type Harness,
} from './support/harness';

describe.each(testEngines())('saga flows on %s', (engine) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(engine);
  });
  afterEach(async () => {
    await h.close();
  });

  it('commits once per step boundary: the outcome of one step and the start of the next go in one transaction', async () => {
    // A commit is a transaction, or a transition written as one statement outside any (a boundary without hooks).
    let commits = 0;
    const counting: typeof h.db = {
      ...h.db,
      transaction: (work) => (commits++, h.db.transaction(work)),
      query: (sql, params) => (sql.trimStart().startsWith('WITH saved') && commits++, h.db.query(sql, params)),
    };
    const engine = h.makeEngine({ db: counting });
    const started: string[] = [];
    engine.on('stepStarted', (event) => started.push(event.step));
    await engine.start('place-order', 'saga-1', h.order());

    await engine.runDue();

    const steps = h.definition.steps.map((step) => step.name);
    expect(started).toEqual(steps); // each attempt still reported as it starts
    expect(commits).toBe(1 + steps.length); // the first attempt's start, then one per outcome
    const log = (await engine.get('saga-1'))!.steps;
    expect(log.map((entry) => `${entry.step}#${entry.attempt}:${entry.outcome}`)).toEqual(
      steps.map((step) => `${step}#1:succeeded`),
    );
  });

  it('runs every step once, merges their results into the data and appends the completion event atomically', async () => {
    const changes: SagaEventMap['stateChanged'][] = [];
    h.engine.on('stateChanged', (event) => changes.push(event));
    await h.engine.start('place-order', 'saga-1', h.order());

    expect(await h.engine.runDue()).toBe(1);

    const saga = await h.engine.get('saga-1');
    expect(saga).toMatchObject({
      state: SagaState.COMPLETED,
      data: {
        orderId: 'order-1',
        reservationId: 'reserveStock#1',
        pointsHoldId: 'holdPoints#1',
        paymentId: 'charge#1',
        shipmentId: 'ship#1',
        confirmed: true,
      },
    });
    expect(saga!.lease).toBeUndefined();
    expect(saga!.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      'reserveInventory:succeeded',
      'holdLoyaltyPoints:succeeded',
      'processPayment:succeeded',
      'createShipment:succeeded',
      'confirmOrder:succeeded',
    ]);
    expect(h.participants.reserveStock.keys()).toEqual(['saga-1:reserveInventory']);
    expect(h.participants.charge.keys()).toEqual(['saga-1:processPayment']);
    expect(await h.domainEvents()).toEqual(['PaymentRecorded', 'OrderConfirmed']);
    expect(changes.map((c) => `${c.from ?? '-'}→${c.to}`)).toEqual(['-→RUNNING', 'RUNNING→COMPLETED']);
  });

  it('on a business failure at step 2, compensates step 1 only and records why', async () => {
    h.participants.holdPoints.failNext('business');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.engine.runDue();

    const saga = await h.engine.get('saga-1');
    expect(saga).toMatchObject({
      state: SagaState.COMPENSATED,
      failureReason: 'step "holdLoyaltyPoints" failed: holdPoints refused',
    });
    expect(h.compensations).toEqual(['reserveInventory']);
    expect(h.participants.releaseStock.keys()).toEqual(['saga-1:reserveInventory:compensate']);
    expect(h.participants.releasePoints.calls).toHaveLength(0);
    expect(h.participants.charge.calls).toHaveLength(0);
    expect(await h.domainEvents()).toEqual(['OrderCancelled']);
  });

  it('on a business failure at the pivot, compensates the steps before it in reverse order', async () => {
    h.participants.charge.failNext('business');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.engine.runDue();

    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPENSATED);
    expect(h.compensations).toEqual(['holdLoyaltyPoints', 'reserveInventory']);
    expect(h.participants.ship.calls).toHaveLength(0);
  });

  it('retries a transient failure after the persisted backoff, with the same idempotency key', async () => {
    h.participants.reserveStock.failNext('transient', 'transient');
    await h.engine.start('place-order', 'saga-1', h.order());

    await h.engine.runDue();
    const waiting = await h.engine.get('saga-1');
    expect(waiting).toMatchObject({ state: SagaState.RUNNING, currentStep: 'reserveInventory', attempt: 1 });
    expect(waiting!.nextAttemptAt).toBe(new Date(T0 + INVOKE_BACKOFF_MS).toISOString());
    expect(waiting!.lease).toBeUndefined(); // let go while waiting: any process may take the next attempt

    expect(await h.engine.runDue()).toBe(0); // not due yet
    await h.clock.advance(INVOKE_BACKOFF_MS);
    await h.engine.runDue();
    await h.clock.advance(INVOKE_BACKOFF_MS);
    await h.engine.runDue();

    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
    expect(h.participants.reserveStock.calls).toEqual([
      { key: 'saga-1:reserveInventory', attempt: 1 },
      { key: 'saga-1:reserveInventory', attempt: 2 },
      { key: 'saga-1:reserveInventory', attempt: 3 },
    ]);
  });

  it('when a step before the pivot runs out of attempts, compensates it too (its outcome is unknown)', async () => {
    h.participants.holdPoints.failAlways('transient');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.settle('saga-1');

    const saga = await h.engine.get('saga-1');
    expect(saga).toMatchObject({
      state: SagaState.COMPENSATED,
      failureReason: 'step "holdLoyaltyPoints" failed after 3 attempts: holdPoints unavailable',
    });
    expect(h.participants.holdPoints.calls).toHaveLength(3);
    expect(h.compensations).toEqual(['holdLoyaltyPoints', 'reserveInventory']);
  });

  it('counts a step that overruns its timeout as a transient failure and aborts its signal', async () => {
    h.participants.reserveStock.failNext('hang');
    await h.engine.start('place-order', 'saga-1', h.order());

    const pass = h.engine.runDue();
    await h.clock.waitForTimer((timer) => timer.delayMs === TIMEOUT_MS);
    await h.clock.advance(TIMEOUT_MS);
    await pass;

    const saga = await h.engine.get('saga-1');
    expect(saga!.steps[0]).toMatchObject({
      outcome: 'transient-failure',
      error: `Operation timed out after ${TIMEOUT_MS} ms`,
    });
    await h.settle('saga-1');
    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
  });

  it('retries steps after the pivot until they succeed, however many attempts that takes', async () => {
    const failures = Array.from({ length: 10 }, () => 'transient' as const);
    h.participants.ship.failNext(...failures);
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.settle('saga-1');

    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
    expect(h.participants.ship.calls).toHaveLength(11);
    expect(new Set(h.participants.ship.keys())).toEqual(new Set(['saga-1:createShipment']));
    expect(h.participants.ship.applied.size).toBe(1);
    expect(h.compensations).toEqual([]);
  });

  it('parks a business failure after the pivot in NEEDS_ATTENTION; retry() re-runs the step', async () => {
    h.participants.ship.failNext('business');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.engine.runDue();

    const parked = await h.engine.get('saga-1');
    expect(parked).toMatchObject({
      state: SagaState.NEEDS_ATTENTION,
      currentStep: 'createShipment',
      attention: {
        reason: 'step "createShipment" failed: ship refused (business failure after the pivot)',
        resumesAs: SagaState.RUNNING,
      },
    });
    expect(h.compensations).toEqual([]);

    await h.engine.retry('saga-1');
    await h.engine.runDue();
    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
    expect(await h.domainEvents()).toEqual(['PaymentRecorded', 'OrderNeedsAttention', 'OrderConfirmed']);
  });

  it('parks a compensation that fails past its budget; retry() resumes compensating to COMPENSATED', async () => {
    h.participants.holdPoints.failNext('business');
    h.participants.releaseStock.failAlways('transient');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.engine.runDue();
    await h.clock.advance(COMPENSATE_BACKOFF_MS);
    await h.engine.runDue();
    await h.clock.advance(COMPENSATE_BACKOFF_MS);
    await h.engine.runDue();

    const parked = await h.engine.get('saga-1');
    expect(parked).toMatchObject({
      state: SagaState.NEEDS_ATTENTION,
      currentStep: 'reserveInventory',
      attention: {
        reason: 'compensation of "reserveInventory" failed after 3 attempts: releaseStock unavailable',
        resumesAs: SagaState.COMPENSATING,
      },
    });
    expect(h.participants.releaseStock.calls).toHaveLength(3);
    expect(await h.engine.countByState()).toMatchObject({ NEEDS_ATTENTION: 1, COMPENSATING: 0 });

    h.participants.releaseStock.recover();
    const resumed = await h.engine.retry('saga-1');
    expect(resumed).toMatchObject({ state: SagaState.COMPENSATING, attempt: 0 });
    await h.engine.runDue();

    const saga = await h.engine.get('saga-1');
    expect(saga).toMatchObject({
      state: SagaState.COMPENSATED,
      failureReason: 'step "holdLoyaltyPoints" failed: holdPoints refused',
    });
    expect(h.participants.releaseStock.keys()).toEqual(Array(4).fill('saga-1:reserveInventory:compensate'));
    expect(await h.domainEvents()).toEqual(['OrderNeedsAttention', 'OrderCancelled']);
  });

  it('rolls back a step whose onCompleted hook throws and parks the saga, leaving no partial events', async () => {
    let hookFails = true;
    const saga = h.definition.step({
      name: 'notifyWarehouse',
      kind: 'retriable',
      invoke: async () => undefined,
      onCompleted: async (tx) => {
        await tx.query(`INSERT INTO domain_events (order_id, type) VALUES ('order-1', 'WarehouseNotified')`);
        if (hookFails) throw new Error('projection is broken');
      },
    });
    const engine = h.makeEngine({ definitions: [saga] });
    await engine.start('place-order', 'saga-1', h.order());
    await engine.runDue();

    const parked = await engine.get('saga-1');
    expect(parked).toMatchObject({
      state: SagaState.NEEDS_ATTENTION,
      currentStep: 'notifyWarehouse',
      attention: { reason: 'step "notifyWarehouse" onCompleted hook failed: projection is broken' },
    });
    expect(parked!.steps.at(-1)).toMatchObject({ step: 'notifyWarehouse', outcome: 'error' });
    expect(await h.domainEvents()).toEqual(['PaymentRecorded', 'OrderNeedsAttention']);

    hookFails = false;
    await engine.retry('saga-1');
    await engine.runDue();
    expect((await engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
    expect(await h.domainEvents()).toEqual([
      'PaymentRecorded',
      'OrderNeedsAttention',
      'WarehouseNotified',
      'OrderConfirmed',
    ]);
  });

  it('reports step attempts through events, for metrics and tracing', async () => {
    const seen: string[] = [];
    h.engine.on('stepStarted', (e) => seen.push(`start ${e.step}#${e.attempt}`));
    h.engine.on('stepSucceeded', (e) => seen.push(`ok ${e.step}`));
    h.engine.on('stepFailed', (e) => seen.push(`fail ${e.step} business=${e.business} retryAt=${e.retryAt ?? '-'}`));
    h.engine.on('stepStarted', () => {
      throw new Error('a broken listener must not stop the saga');
    });
    h.participants.reserveStock.failNext('transient');
    await h.engine.start('place-order', 'saga-1', h.order());
    await h.settle('saga-1');

    expect(seen.slice(0, 4)).toEqual([
      'start reserveInventory#1',
      `fail reserveInventory business=false retryAt=${new Date(T0 + INVOKE_BACKOFF_MS).toISOString()}`,
      'start reserveInventory#2',
      'ok reserveInventory',
    ]);
    expect((await h.engine.get('saga-1'))!.state).toBe(SagaState.COMPLETED);
  });
});
