import { validateEvent } from '@shop/contracts';
import { eventually, testEngines } from '@shop/testing';
import { Dispatcher } from '../src/dispatcher';
import { createBody, outboxEvents, schedule, START, startShipping, type ShippingFixture } from './fixtures';

describe.each(testEngines())('dispatcher on %s', (engine) => {
  let fx: ShippingFixture;
  const dispatchers: Dispatcher[] = [];
  const dispatcher = (options: { batchSize?: number; pollIntervalMs?: number } = {}) => {
    const created = new Dispatcher({
      db: fx.db,
      clock: fx.clock,
      schedule,
      carrier: 'Test Parcel',
      batchSize: options.batchSize ?? 50,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
    });
    dispatchers.push(created);
    return created;
  };
  beforeEach(async () => {
    fx = await startShipping(engine);
  });
  afterEach(async () => {
    for (const created of dispatchers.splice(0)) await created.stop();
    await fx.close();
  });

  const create = async (orderId: string) =>
    (await fx.app.inject({ method: 'POST', url: '/shipments', payload: createBody(orderId) })).json();
  const get = async (id: string) => (await fx.app.inject(`/shipments/${id}`)).json();
  const statuses = async () =>
    (await fx.db.query<{ status: string }>('SELECT status FROM shipments ORDER BY order_id')).rows.map((r) => r.status);

  it('moves CREATED → DISPATCHED → DELIVERED when each delay has passed, with one valid event per step', async () => {
    const { id } = await create('order-1');
    const worker = dispatcher();

    await fx.clock.advance(schedule.dispatchDelayMs - 1);
    expect(await worker.runDue()).toBe(0);
    expect((await get(id)).status).toBe('CREATED');

    await fx.clock.advance(1);
    expect(await worker.runDue()).toBe(1);
    const dispatchedAt = START + schedule.dispatchDelayMs;
    expect(await get(id)).toMatchObject({
      status: 'DISPATCHED',
      carrier: 'Test Parcel',
      trackingNumber: expect.stringMatching(/^RS[0-9A-F]{12}$/),
      version: 2,
      dispatchedAt: new Date(dispatchedAt).toISOString(),
      nextTransitionAt: new Date(dispatchedAt + schedule.deliveryDelayMs).toISOString(),
    });
    expect((await fx.app.inject({ method: 'POST', url: `/shipments/${id}/cancel` })).statusCode).toBe(409);

    await fx.clock.advance(schedule.deliveryDelayMs);
    expect(await worker.runDue()).toBe(1);
    expect(await get(id)).toMatchObject({ status: 'DELIVERED', version: 3, nextTransitionAt: null });
    await fx.clock.advance(10 * schedule.deliveryDelayMs);
    expect(await worker.runDue()).toBe(0);

    const events = await outboxEvents(fx.db);
    expect(events.map((event) => [event.eventType, event.aggregateVersion])).toEqual([
      ['ShipmentCreated', 1],
      ['ShipmentDispatched', 2],
      ['ShipmentDelivered', 3],
    ]);
    for (const event of events) expect(validateEvent(event).ok).toBe(true);
    expect(events[1]).toMatchObject({
      occurredAt: new Date(dispatchedAt).toISOString(),
      data: { shipmentId: id, orderId: 'order-1', carrier: 'Test Parcel' },
    });
  });

  it('leaves cancelled shipments alone', async () => {
    const { id } = await create('order-2');
    await fx.app.inject({ method: 'POST', url: `/shipments/${id}/cancel` });
    await fx.app.inject({ method: 'POST', url: '/shipments/by-order/order-3/cancel' });
    await fx.clock.advance(schedule.dispatchDelayMs + schedule.deliveryDelayMs);
    expect(await dispatcher().runDue()).toBe(0);
    expect(await statuses()).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('runs by itself on its poll timer as the clock advances', async () => {
    const { id } = await create('order-4');
    dispatcher({ pollIntervalMs: 1_000 }).start();
    await eventually(async () => {
      await fx.clock.advance(5_000);
      expect((await get(id)).status).toBe('DELIVERED');
    });
    expect((await outboxEvents(fx.db)).map((event) => event.eventType)).toEqual([
      'ShipmentCreated',
      'ShipmentDispatched',
      'ShipmentDelivered',
    ]);
  });

  it('survives a restart: a new dispatcher picks up what fell due while none was running', async () => {
    const first = dispatcher();
    first.start();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await create(`order-r${i}`)).id);
    await first.stop(); // the process goes down before anything was due

    await fx.clock.advance(schedule.dispatchDelayMs + schedule.deliveryDelayMs); // down for a long time
    const second = dispatcher({ pollIntervalMs: 1_000 });
    second.start(); // its first pass runs at once
    await eventually(async () => expect(await statuses()).toEqual(Array(5).fill('DISPATCHED')));
    await eventually(async () => {
      await fx.clock.advance(5_000);
      expect(await statuses()).toEqual(Array(5).fill('DELIVERED'));
    });
    for (const type of ['ShipmentCreated', 'ShipmentDispatched', 'ShipmentDelivered']) {
      const events = await outboxEvents(fx.db, type);
      expect(events.map((event) => event.aggregateId).sort()).toEqual([...ids].sort());
    }
  });

  it('moves each shipment exactly once when two dispatchers share the work', async () => {
    for (let i = 0; i < 24; i++) await create(`order-c${String(i).padStart(2, '0')}`);
    await fx.clock.advance(schedule.dispatchDelayMs);
    const [a, b] = [dispatcher({ batchSize: 5 }), dispatcher({ batchSize: 5 })];
    const moved = await Promise.all([a.runDue(), b.runDue()]);
    expect(moved[0] + moved[1]).toBe(24);
    expect(await statuses()).toEqual(Array(24).fill('DISPATCHED'));
    const dispatched = await outboxEvents(fx.db, 'ShipmentDispatched');
    expect(new Set(dispatched.map((event) => event.aggregateId)).size).toBe(24);
    expect(dispatched).toHaveLength(24);
  });

  it('lets a cancel racing the dispatch end in exactly one outcome', async () => {
    const ids = [];
    for (let i = 0; i < 10; i++) ids.push((await create(`order-x${i}`)).id);
    await fx.clock.advance(schedule.dispatchDelayMs);
    const worker = dispatcher({ batchSize: 3 });
    const [cancels] = await Promise.all([
      Promise.all(ids.map((id) => fx.app.inject({ method: 'POST', url: `/shipments/${id}/cancel` }))),
      worker.runDue(),
    ]);
    for (const [i, response] of cancels.entries()) {
      const shipment = await get(ids[i]);
      if (response.statusCode === 200) expect(shipment.status).toBe('CANCELLED');
      else {
        expect(response.statusCode).toBe(409);
        expect(shipment.status).toBe('DISPATCHED');
      }
    }
    const cancelled = (await outboxEvents(fx.db, 'ShipmentCancelled')).length;
    const dispatchedEvents = (await outboxEvents(fx.db, 'ShipmentDispatched')).length;
    expect(cancelled + dispatchedEvents).toBe(10);
  });
});
