/**
 * Stock is never oversold, never lost, and one order never takes stock twice — under concurrent requests.
 * On PGlite transactions are serialised; on Postgres (TEST_DATABASE_URL) these really race on row locks
 * (test/short-locks.test.ts shows how briefly a reservation holds them).
 */
import { testEngines } from '@shop/testing';
import { addProduct, release, reserve, startInventory, stockOf, type InventoryFixture } from './inventory-fixture';

describe.each(testEngines())('concurrent reservations on %s', (engine) => {
  let inventory: InventoryFixture;
  beforeEach(async () => {
    inventory = await startInventory(engine);
  });
  afterEach(() => inventory.close());

  const count = async (sql: string) => Number((await inventory.db.query<{ n: number }>(sql)).rows[0]!.n);

  it('lets 50 concurrent orders reserve exactly the last 10 units', async () => {
    const { app } = inventory;
    await addProduct(app, 'LAST', 10);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => reserve(app, `order-${i}`, [{ sku: 'LAST', quantity: 1 }])),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(40);
    for (const refused of responses.filter((response) => response.statusCode === 409)) {
      expect(refused.json().shortages).toEqual([{ sku: 'LAST', requested: 1, available: 0 }]);
    }
    expect(await stockOf(app, 'LAST')).toEqual({ stock: 0, reserved: 10 });
    expect(await count("SELECT count(*)::int AS n FROM reservations WHERE status = 'reserved'")).toBe(10);
    expect(await count("SELECT count(*)::int AS n FROM outbox WHERE event_type = 'StockReserved'")).toBe(10);
  });

  it('reserves exactly the stock when 40 two-line orders, listed in opposite orders, race for 10 units each', async () => {
    const { app } = inventory;
    await addProduct(app, 'CUP', 10);
    await addProduct(app, 'MUG', 10);
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const items = [
          { sku: 'CUP', quantity: 1 },
          { sku: 'MUG', quantity: 1 },
        ];
        return reserve(app, `order-${i}`, i % 2 ? items.reverse() : items);
      }),
    );
    // Nothing else: no deadlock (a 500), no other refusal.
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(30);
    // A refusal reports the units it found, and they were too few.
    for (const refused of responses.filter((response) => response.statusCode === 409)) {
      for (const shortage of refused.json().shortages) expect(shortage.available).toBeLessThan(shortage.requested);
    }
    expect(await stockOf(app, 'CUP')).toEqual({ stock: 0, reserved: 10 });
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 0, reserved: 10 });
    expect(await count('SELECT count(*)::int AS n FROM reservation_lines')).toBe(20);
  });

  it('takes stock once when the same order is reserved 20 times at once', async () => {
    const { app } = inventory;
    await addProduct(app, 'MUG', 100);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => reserve(app, 'order-1', [{ sku: 'MUG', quantity: 3 }])),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, ...Array(18).fill(200), 201].sort());
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect(await stockOf(app, 'MUG')).toEqual({ stock: 97, reserved: 3 });
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(1);
  });

  it('returns stock once when releases race each other and the reserve they compensate', async () => {
    const { app } = inventory;
    await addProduct(app, 'MUG', 10);
    for (let round = 0; round < 5; round++) {
      const orderId = `order-${round}`;
      // Release may arrive before, during or after the reserve; whatever the interleaving, no stock is created.
      const responses = await Promise.all([
        release(app, orderId),
        reserve(app, orderId, [{ sku: 'MUG', quantity: 2 }]),
        release(app, orderId),
      ]);
      expect([201, 409]).toContain(responses[1]!.statusCode);
      expect((await app.inject(`/reservations/${orderId}`)).json().status).toBe('released');
      expect(await stockOf(app, 'MUG')).toEqual({ stock: 10, reserved: 0 });
    }
  });

  it('never deadlocks when orders lock overlapping skus listed in opposite orders', async () => {
    const { app } = inventory;
    const skus = ['A', 'B', 'C', 'D'];
    for (const sku of skus) await addProduct(app, sku, 1000);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const listed = i % 2 ? [...skus].reverse() : skus;
        return reserve(
          app,
          `order-${i}`,
          listed.map((sku) => ({ sku, quantity: 1 })),
        );
      }),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(30).fill(201));
    for (const sku of skus) expect(await stockOf(app, sku)).toEqual({ stock: 970, reserved: 30 });
    // Half of them are released concurrently with new reservations: the totals still add up.
    await Promise.all([
      ...Array.from({ length: 15 }, (_, i) => release(app, `order-${i}`)),
      ...Array.from({ length: 15 }, (_, i) =>
        reserve(
          app,
          `late-${i}`,
          skus.map((sku) => ({ sku, quantity: 2 })),
        ),
      ),
    ]);
    for (const sku of skus) expect(await stockOf(app, sku)).toEqual({ stock: 955, reserved: 45 });
  });
});
