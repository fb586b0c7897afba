import { testEngines } from '@shop/testing';
import {
  addProduct,
  commit,
  eur,
  expectProblem,
  release,
  reserve,
  startInventory,
  stockOf,
  type InventoryFixture,
} from './inventory-fixture';

describe.each(testEngines())('reservations on %s', (engine) => {
  let inventory: InventoryFixture;
  let wakes: number;

  beforeEach(async () => {
    wakes = 0;
    inventory = await startInventory(engine, { onEventsCommitted: () => wakes++ });
    const { app } = inventory;
    await addProduct(app, 'MUG', 10, 1299);
    await addProduct(app, 'TEE', 5, 2499);
    await addProduct(app, 'POSTER', 3, 1999);
  });
  afterEach(() => inventory.close());

  const outboxTypes = async () =>
    (await inventory.db.query<{ event_type: string }>('SELECT event_type FROM outbox ORDER BY id')).rows.map(
      (r) => r.event_type,
    );

  it('reserves every item, snapshotting prices and the total, and holds the stock', async () => {
    const { app } = inventory;
    const response = await reserve(app, 'order-1', [
      { sku: 'TEE', quantity: 2 },
      { sku: 'MUG', quantity: 3 },
    ]);
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/reservations/order-1');
    const reservation = response.json();
    expect(reservation).toMatchObject({
      orderId: 'order-1',
      status: 'reserved',
      tombstone: false,
      version: 1,
      lines: [
        { sku: 'MUG', quantity: 3, unitPrice: eur(1299), lineTotal: eur(3897) },
        { sku: 'TEE', quantity: 2, unitPrice: eur(2499), lineTotal: eur(4998) },
      ],
      total: eur(8895),
    });
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 7, reserved: 3 });
    expect(await stockOf(app, 'TEE')).toEqual({ stock: 3, reserved: 2 });
    expect((await app.inject('/reservations/order-1')).json()).toEqual(reservation);
    expect(await outboxTypes()).toEqual(['StockReserved']);
    expect(wakes).toBe(1);
  });

  it('keeps the price snapshot when the catalogue price changes later', async () => {
    const { app } = inventory;
    await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 1 }]);
    await app.inject({ method: 'PUT', url: '/products/MUG', payload: { name: 'Mug', price: eur(9999), stock: 9 } });
    expect((await app.inject('/reservations/order-1')).json().lines[0].unitPrice).toEqual(eur(1299));
    expect((await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 1 }])).json().total).toEqual(eur(1299));
  });

  it('answers a repeat with the same items with 200 and the same reservation, taking stock once', async () => {
    const { app } = inventory;
    const first = await reserve(app, 'order-1', [
      { sku: 'MUG', quantity: 2 },
      { sku: 'TEE', quantity: 1 },
    ]);
    // Same items in another order still count as the same request.
    const repeat = await reserve(app, 'order-1', [
      { sku: 'TEE', quantity: 1 },
      { sku: 'MUG', quantity: 2 },
    ]);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toEqual(first.json());
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 8, reserved: 2 });
    expect(await outboxTypes()).toEqual(['StockReserved']);
    expect(wakes).toBe(1);
  });

  it('refuses a repeat with different items with 422, naming what is reserved', async () => {
    const { app } = inventory;
    await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]);
    for (const items of [
      [{ sku: 'MUG', quantity: 3 }],
      [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEE', quantity: 1 },
      ],
    ]) {
      const response = await reserve(app, 'order-1', items);
      expectProblem(response, 422, 'reservation-mismatch');
      expect(response.json().reservedItems).toEqual([{ sku: 'MUG', quantity: 2 }]);
    }
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 8, reserved: 2 });
  });

  it('reserves nothing when any item is short, naming every short sku with what is available', async () => {
    const { app } = inventory;
    const response = await reserve(app, 'order-1', [
      { sku: 'MUG', quantity: 1 },
      { sku: 'TEE', quantity: 6 },
      { sku: 'POSTER', quantity: 4 },
    ]);
    expectProblem(response, 409, 'insufficient-stock');
    expect(response.json().shortages).toEqual([
      { sku: 'POSTER', requested: 4, available: 3 },
      { sku: 'TEE', requested: 6, available: 5 },
    ]);
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
    expect((await app.inject('/reservations/order-1')).statusCode).toBe(404);
    expect(await outboxTypes()).toEqual([]);
    // Nothing was claimed: the same order can try again with less.
    expect((await reserve(app, 'order-1', [{ sku: 'POSTER', quantity: 3 }])).statusCode).toBe(201);
  });

  it('names unknown skus with 422 and reserves nothing', async () => {
    const { app } = inventory;
    const response = await reserve(app, 'order-1', [
      { sku: 'MUG', quantity: 1 },
      { sku: 'NOPE-2', quantity: 1 },
      { sku: 'NOPE-1', quantity: 1 },
    ]);
    expectProblem(response, 422, 'unknown-sku');
    expect(response.json().unknownSkus).toEqual(['NOPE-1', 'NOPE-2']);
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
  });

  it('refuses duplicate skus and mixed currencies with 422', async () => {
    const { app } = inventory;
    const duplicate = await reserve(app, 'order-1', [
      { sku: 'MUG', quantity: 1 },
      { sku: 'MUG', quantity: 2 },
    ]);
    expectProblem(duplicate, 422, 'duplicate-sku');
    expect(duplicate.json().duplicateSkus).toEqual(['MUG']);

    await addProduct(app, 'USD-CAP', 5, 1500, 'USD');
    const mixed = await reserve(app, 'order-1', [
      { sku: 'MUG', quantity: 1 },
      { sku: 'USD-CAP', quantity: 1 },
    ]);
    expectProblem(mixed, 422, 'mixed-currencies');
    expect(mixed.json().currencies).toEqual(['EUR', 'USD']);
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
  });

  it('lists every invalid field with 400', async () => {
    const { app } = inventory;
    const response = await app.inject({
      method: 'POST',
      url: '/reservations',
      payload: {
        orderId: 'has space',
        items: [
          { sku: 'MUG', quantity: 0 },
          { sku: 'TEE', quantity: '1' },
        ],
        extra: 1,
      },
    });
    expectProblem(response, 400, 'validation-failed');
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.extra', 'body.items.0.quantity', 'body.items.1.quantity', 'body.orderId']);
    expectProblem(await reserve(app, 'order-1', []), 400, 'validation-failed');
    expectProblem(await app.inject('/reservations/has%20space'), 400, 'validation-failed');
    expectProblem(await app.inject('/reservations/unknown-order'), 404, 'not-found');
  });

  describe('release', () => {
    it('returns the stock once, however often it is repeated', async () => {
      const { app } = inventory;
      await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 4 }]);
      const first = await release(app, 'order-1', { reason: 'payment declined' });
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'released', version: 2, tombstone: false, total: eur(5196) });
      const again = await release(app, 'order-1');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
      expect(await outboxTypes()).toEqual(['StockReserved', 'StockReleased']);
      const { rows } = await inventory.db.query<{ envelope: { data: { reason: string } } }>(
        "SELECT envelope FROM outbox WHERE event_type = 'StockReleased'",
      );
      expect(rows[0]!.envelope.data.reason).toBe('payment declined');
    });

    it('before any reserve leaves a tombstone: the late reserve is refused and creates no stock', async () => {
      const { app } = inventory;
      const tombstone = await release(app, 'order-1');
      expect(tombstone.statusCode).toBe(200);
      expect(tombstone.json()).toMatchObject({
        orderId: 'order-1',
        status: 'released',
        tombstone: true,
        lines: [],
        total: null,
      });

      const late = await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]);
      expectProblem(late, 409, 'reservation-released');
      expect(late.json()).toMatchObject({ orderId: 'order-1', tombstone: true });
      expect((await release(app, 'order-1')).json()).toEqual(tombstone.json());
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
      expect(await outboxTypes()).toEqual([]);
    });

    it('refuses to reserve again after a real release', async () => {
      const { app } = inventory;
      await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]);
      await release(app, 'order-1');
      expectProblem(await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]), 409, 'reservation-released');
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
    });

    it('after commit is a 409 and changes nothing', async () => {
      const { app } = inventory;
      await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]);
      await commit(app, 'order-1');
      expectProblem(await release(app, 'order-1'), 409, 'reservation-committed');
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 8, reserved: 0 });
    });

    it('rejects unknown body fields', async () => {
      expectProblem(await release(inventory.app, 'order-1', { reason: 'x', force: true }), 400, 'validation-failed');
    });
  });

  describe('commit', () => {
    it('consumes the held units, idempotently', async () => {
      const { app } = inventory;
      await reserve(app, 'order-1', [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEE', quantity: 5 },
      ]);
      const first = await commit(app, 'order-1');
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ status: 'committed', version: 2 });
      const again = await commit(app, 'order-1');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 8, reserved: 0 });
      expect(await stockOf(app, 'TEE')).toEqual({ stock: 0, reserved: 0 });
      // A repeat of the original reserve still answers with the (now committed) reservation and takes nothing.
      const repeat = await reserve(app, 'order-1', [
        { sku: 'MUG', quantity: 2 },
        { sku: 'TEE', quantity: 5 },
      ]);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json().status).toBe('committed');
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 8, reserved: 0 });
    });

    it('after release is a 409; an unknown order is a 404', async () => {
      const { app } = inventory;
      await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 2 }]);
      await release(app, 'order-1');
      expectProblem(await commit(app, 'order-1'), 409, 'reservation-released');
      expectProblem(await commit(app, 'order-2'), 404, 'not-found');
      // The tombstone of a release-before-reserve cannot be committed either.
      await release(app, 'order-3');
      expectProblem(await commit(app, 'order-3'), 409, 'reservation-released');
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
    });
  });
});
