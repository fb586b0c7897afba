import { validateEvent } from '@shop/contracts';
import { testEngines } from '@shop/testing';
import {
  address,
  createBody,
  items,
  outboxEvents,
  START,
  schedule,
  startShipping,
  type ShippingFixture,
} from './fixtures';

describe.each(testEngines())('shipment API on %s', (engine) => {
  let fx: ShippingFixture;
  beforeEach(async () => {
    fx = await startShipping(engine);
  });
  afterEach(() => fx.close());

  const create = (body: object, headers: Record<string, string> = {}) =>
    fx.app.inject({ method: 'POST', url: '/shipments', payload: body, headers });
  const cancel = (id: string, body?: object) =>
    fx.app.inject({ method: 'POST', url: `/shipments/${id}/cancel`, ...(body ? { payload: body } : {}) });
  const cancelByOrder = (orderId: string, body?: object) =>
    fx.app.inject({ method: 'POST', url: `/shipments/by-order/${orderId}/cancel`, ...(body ? { payload: body } : {}) });
  const expectProblem = (
    response: { statusCode: number; headers: Record<string, unknown>; json(): { type: string } },
    status: number,
    slug: string,
  ) => {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().type).toMatch(new RegExp(`/${slug}$`));
  };

  it('creates a shipment (201, Location, due for dispatch) and serves it by id and by order', async () => {
    const before = fx.db.counters();
    const response = await create(createBody('order-1'), { 'x-correlation-id': 'corr-1' });
    expect(response.statusCode).toBe(201);
    // The shipment and its ShipmentCreated are one statement: one round trip, no transaction around it.
    const after = fx.db.counters();
    expect([after.roundTrips - before.roundTrips, after.transactions - before.transactions]).toEqual([1, 0]);
    const shipment = response.json();
    expect(response.headers.location).toBe(`/shipments/${shipment.id}`);
    expect(shipment).toMatchObject({
      orderId: 'order-1',
      status: 'CREATED',
      tombstone: false,
      address,
      items,
      version: 1,
      carrier: null,
      createdAt: new Date(START).toISOString(),
      nextTransitionAt: new Date(START + schedule.dispatchDelayMs).toISOString(),
    });

    expect((await fx.app.inject(`/shipments/${shipment.id}`)).json()).toEqual(shipment);
    expect((await fx.app.inject('/shipments?orderId=order-1')).json()).toEqual({ shipments: [shipment] });
    expect((await fx.app.inject('/shipments?orderId=unknown-order')).json()).toEqual({ shipments: [] });

    const [event] = await outboxEvents(fx.db);
    expect(validateEvent(event).ok).toBe(true);
    expect(event).toMatchObject({
      eventType: 'ShipmentCreated',
      aggregateId: shipment.id,
      aggregateVersion: 1,
      data: { shipmentId: shipment.id, orderId: 'order-1' },
      metadata: { correlationId: 'corr-1' },
    });
  });

  it('answers a repeat with the same body with 200 and the same shipment, whatever the key order', async () => {
    const first = (await create(createBody('order-2'))).json();
    const reordered = {
      items: [{ quantity: 2, sku: 'SKU-1' }],
      address: { country: 'NL', postalCode: '3011', city: 'Rotterdam', line1: '1 Dock Road' },
      orderId: 'order-2',
    };
    for (const body of [createBody('order-2'), reordered]) {
      const repeat = await create(body);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json()).toEqual(first);
      expect(repeat.headers.location).toBe(`/shipments/${first.id}`);
    }
    expect(await outboxEvents(fx.db, 'ShipmentCreated')).toHaveLength(1);
  });

  it('refuses a repeat with a different body with 422, changing nothing', async () => {
    const first = (await create(createBody('order-3'))).json();
    const response = await create(createBody('order-3', { items: [{ sku: 'SKU-1', quantity: 3 }] }));
    expectProblem(response, 422, 'shipment-request-mismatch');
    expect(response.json()).toMatchObject({ shipmentId: first.id, orderId: 'order-3' });
    expect((await fx.app.inject(`/shipments/${first.id}`)).json()).toEqual(first);
  });

  it('makes exactly one shipment and one ShipmentCreated from 20 concurrent creates for one order', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => create(createBody('order-4'))));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect((await fx.db.query("SELECT id FROM shipments WHERE order_id = 'order-4'")).rows).toHaveLength(1);
    expect(await outboxEvents(fx.db, 'ShipmentCreated')).toHaveLength(1);
  });

  it('cancels a created shipment once, with or without a body, and publishes ShipmentCancelled once', async () => {
    const { id } = (await create(createBody('order-5'))).json();
    const response = await cancel(id, { reason: 'payment refunded' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'payment refunded',
      version: 2,
      nextTransitionAt: null,
      cancelledAt: new Date(START).toISOString(),
    });

    for (const again of [await cancel(id), await cancel(id, {}), await cancel(id, { reason: 'other' })]) {
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ status: 'CANCELLED', cancellationReason: 'payment refunded', version: 2 });
    }
    const cancelled = await outboxEvents(fx.db, 'ShipmentCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({
      aggregateVersion: 2,
      data: { shipmentId: id, orderId: 'order-5', reason: 'payment refunded' },
    });

    // A repeat of the original create still answers with the (now cancelled) shipment.
    const repeat = await create(createBody('order-5'));
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ id, status: 'CANCELLED' });
  });

  it('refuses to cancel a dispatched shipment with 409', async () => {
    const { id } = (await create(createBody('order-6'))).json();
    await fx.db.query(
      `UPDATE shipments SET status = 'DISPATCHED', carrier = 'c', tracking_number = 't', dispatched_at = created_at WHERE id = $1`,
      [id],
    );
    const response = await cancel(id);
    expectProblem(response, 409, 'shipment-already-dispatched');
    expect(response.json()).toMatchObject({ shipmentId: id, shipmentStatus: 'DISPATCHED' });
    expectProblem(await cancelByOrder('order-6'), 409, 'shipment-already-dispatched');
    expect(await outboxEvents(fx.db, 'ShipmentCancelled')).toHaveLength(0);
  });

  it('cancels by order: the existing shipment if there is one', async () => {
    const { id } = (await create(createBody('order-7'))).json();
    const response = await cancelByOrder('order-7', { reason: 'saga compensation' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id,
      status: 'CANCELLED',
      tombstone: false,
      cancellationReason: 'saga compensation',
    });
    expect((await cancelByOrder('order-7')).json()).toMatchObject({ id, status: 'CANCELLED' });
    expect(await outboxEvents(fx.db, 'ShipmentCancelled')).toHaveLength(1);
  });

  it('cancels by order before any create: a tombstone, and a later create is refused with 409', async () => {
    const response = await cancelByOrder('order-8', { reason: 'order cancelled' });
    expect(response.statusCode).toBe(200);
    const tombstone = response.json();
    expect(tombstone).toMatchObject({
      orderId: 'order-8',
      status: 'CANCELLED',
      tombstone: true,
      address: null,
      items: [],
    });
    expect((await cancelByOrder('order-8')).json()).toEqual(tombstone);

    const late = await create(createBody('order-8'));
    expectProblem(late, 409, 'shipment-cancelled');
    expect(late.json()).toMatchObject({ shipmentId: tombstone.id, orderId: 'order-8', shipmentStatus: 'CANCELLED' });
    expect((await fx.app.inject('/shipments?orderId=order-8')).json()).toEqual({ shipments: [tombstone] });
    // Nobody was told about a shipment that never existed.
    expect(await outboxEvents(fx.db)).toHaveLength(0);
  });

  it('never leaves a live shipment when creates and cancels-by-order for one order race', async () => {
    const requests = Array.from({ length: 20 }, (_, i) =>
      i % 2 ? create(createBody('order-9')) : cancelByOrder('order-9'),
    );
    const responses = await Promise.all(requests);
    for (const response of responses) expect([200, 201, 409]).toContain(response.statusCode);
    const { shipments } = (await fx.app.inject('/shipments?orderId=order-9')).json();
    expect(shipments).toHaveLength(1);
    expect(shipments[0].status).toBe('CANCELLED');
    const created = await outboxEvents(fx.db, 'ShipmentCreated');
    expect(await outboxEvents(fx.db, 'ShipmentCancelled')).toHaveLength(created.length);
    expect(created.length).toBe(shipments[0].tombstone ? 0 : 1);
  });

  it('answers every bad request with a 400 problem naming the fields', async () => {
    const response = await create({ orderId: '', address: { ...address, country: 'nl' }, items: [], gift: true });
    expectProblem(response, 400, 'validation-failed');
    const fields = [...new Set(response.json().errors.map((error: { field: string }) => error.field))].sort();
    expect(fields).toEqual(['body.address.country', 'body.gift', 'body.items', 'body.orderId']);
    expectProblem(await create({ ...createBody('o'), items: [{ sku: 'A', quantity: 0 }] }), 400, 'validation-failed');
    expectProblem(await fx.app.inject('/shipments/not-a-uuid'), 400, 'validation-failed');
    expectProblem(await fx.app.inject('/shipments'), 400, 'validation-failed');
    expectProblem(await cancel('not-a-uuid'), 400, 'validation-failed');
    expectProblem(await cancel('0190a0a0-0000-7000-8000-000000000000', { reason: 5 }), 400, 'validation-failed');
    expectProblem(await cancelByOrder('bad%20order'), 400, 'validation-failed');
    expect((await fx.db.query('SELECT id FROM shipments')).rows).toHaveLength(0);
  });

  it('answers unknown shipments with a 404 problem', async () => {
    expectProblem(await fx.app.inject('/shipments/0190a0a0-0000-7000-8000-000000000000'), 404, 'not-found');
    expectProblem(await cancel('0190a0a0-0000-7000-8000-000000000000'), 404, 'not-found');
  });

  it('serves OpenAPI with Swagger UI at /docs', async () => {
    expect((await fx.app.inject('/docs')).statusCode).toBeLessThan(400);
    const spec = (await fx.app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/shipments',
        '/shipments/{id}',
        '/shipments/{id}/cancel',
        '/shipments/by-order/{orderId}/cancel',
      ]),
    );
  });
});
