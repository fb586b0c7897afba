/**
 * The read model is a pure function of the log: after 1,000 orders written through the order commands (the same
 * code the saga and the consumer use), rebuilding `order_summaries` from an empty table gives exactly the rows the
 * inline projection maintained live.
 */
import { systemClock } from '@shop/clock';
import { runMigrations } from '@shop/db';
import { createEventStore, rebuildProjection } from '@shop/event-store';
import { createTestDatabase, testEngines, type TestDatabase } from '@shop/testing';
import { migrations } from '../src/migrations';
import { Orders } from '../src/orders';
import { orderSummariesProjection } from '../src/read-model/order-summaries-projection';
import { allOrderSummaries, listOrderSummaries } from '../src/read-model/order-summaries';

const ORDERS = 1_000;
const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

describe.each(testEngines())('order summaries on %s', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await runMigrations(db, migrations);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it(`rebuilt from the log equal the live read model (${ORDERS} orders)`, async () => {
    const store = createEventStore(db, { inlineProjections: [orderSummariesProjection] });
    let tick = Date.parse('2030-01-01T00:00:00.000Z');
    const orders = new Orders(store, { clock: { ...systemClock, now: () => (tick += 1_000) } });
    const meta = { correlationId: 'rebuild-test' };

    // Every path through the lifecycle, in batches of 50 orders per transaction.
    for (let batch = 0; batch < ORDERS / 50; batch++) {
      await store.transaction(async (tx) => {
        for (let i = batch * 50; i < (batch + 1) * 50; i++) {
          const orderId = `order-${String(i).padStart(4, '0')}`;
          const quantity = 1 + (i % 3);
          await orders.create(
            tx,
            { orderId, customerId: `customer-${i % 37}`, items: [{ sku: 'MUG', quantity }], shippingAddress: address },
            meta,
          );
          if (i % 7 === 0) continue; // still pending
          if (i % 5 === 0) {
            await orders.cancel(tx, orderId, 'out of stock', meta);
            continue;
          }
          const lines = [{ sku: 'MUG', quantity, unitPrice: eur(450), lineTotal: eur(450 * quantity) }];
          await orders.price(tx, orderId, { lines, total: eur(450 * quantity) }, meta);
          await orders.recordPayment(tx, orderId, `payment-${i}`, meta);
          if (i % 4 === 0) continue; // paid, not confirmed yet
          await orders.confirm(tx, orderId, `shipment-${i}`, meta);
          if (i % 3 === 0)
            await orders.markShipped(
              tx,
              orderId,
              { shipmentId: `shipment-${i}`, carrier: 'P', trackingNumber: `T${i}` },
              meta,
            );
          if (i % 6 === 0) await orders.markDelivered(tx, orderId, `shipment-${i}`, meta);
        }
      });
    }

    const live = await allOrderSummaries(db);
    expect(live).toHaveLength(ORDERS);
    expect(new Set(live.map((summary) => summary.status))).toEqual(
      new Set(['PENDING', 'CANCELLED', 'CONFIRMED', 'SHIPPED', 'DELIVERED']),
    );

    await db.query('DELETE FROM order_summaries'); // prove the rebuild starts from nothing
    const { replayed } = await rebuildProjection(store, orderSummariesProjection);
    const { rows } = await db.query<{ count: string | number }>('SELECT count(*) AS count FROM event_store_events');
    expect(replayed).toBe(Number(rows[0]!.count));
    expect(await allOrderSummaries(db)).toEqual(live);

    const page = await listOrderSummaries(db, { customerId: 'customer-3', limit: 5 });
    expect(page.orders.map((summary) => summary.id)).toEqual([
      'order-0003',
      'order-0040',
      'order-0077',
      'order-0114',
      'order-0151',
    ]);
  }, 120_000);
});
