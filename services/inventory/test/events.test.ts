/**
 * Reservation events travel the real path: outbox row in the reservation's transaction → relay (woken on commit) →
 * SNS topic → SQS queue subscribed through the topology module, on an in-process local-aws. Each arrives schema-valid.
 */
import type { AnyEvent } from '@shop/contracts';
import { createOutboxRelay, type OutboxRelay } from '@shop/messaging';
import { startEventProbe, type EventProbe } from '@shop/messaging/testing';
import { eventually, testEngines } from '@shop/testing';
import { addProduct, commit, release, reserve, startInventory, type InventoryFixture } from './inventory-fixture';

describe.each(testEngines())('inventory events on %s', (engine) => {
  let probe: EventProbe;
  let relay: OutboxRelay;
  let inventory: InventoryFixture;

  beforeEach(async () => {
    // A consumer of inventory events (e.g. a stock dashboard): a probe queue on the real inventory topic.
    probe = await startEventProbe('inventory');
    let wake = () => undefined as void;
    inventory = await startInventory(engine, { onEventsCommitted: () => wake() });
    relay = createOutboxRelay({
      db: inventory.db,
      sns: probe.aws.sns,
      topicName: probe.topicName,
      pollIntervalMs: 60_000,
    });
    wake = () => relay.wake();
    relay.start();
  });
  afterEach(async () => {
    await relay.stop();
    await inventory.close();
    await probe.close();
  });

  /** Waits until `count` events arrived (each schema-valid, checked by the probe) and checks their eventType attribute. */
  async function receiveEvents(count: number): Promise<AnyEvent[]> {
    const messages = await probe.receiveMessages(count, 10_000);
    expect(messages.length).toBeGreaterThanOrEqual(count);
    for (const { event, attributes } of messages) expect(attributes.eventType?.StringValue).toBe(event.eventType);
    return messages.map((message) => message.event);
  }

  it("publishes StockReserved (version 1) and StockReleased (version 2), schema-valid, with the caller's trace", async () => {
    const { app } = inventory;
    await addProduct(app, 'MUG', 10);
    await addProduct(app, 'TEE', 10);
    const reservation = (
      await app.inject({
        method: 'POST',
        url: '/reservations',
        headers: {
          'x-correlation-id': 'checkout-42',
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        },
        payload: {
          orderId: 'order-1',
          items: [
            { sku: 'TEE', quantity: 1 },
            { sku: 'MUG', quantity: 2 },
          ],
        },
      })
    ).json();
    await release(app, 'order-1', { reason: 'payment declined' });

    // Standard SQS queues do not promise order; consumers rely on aggregateVersion, so sort by it.
    const events = (await receiveEvents(2)).sort((a, b) => a.aggregateVersion - b.aggregateVersion);
    expect(events.map((event) => [event.eventType, event.aggregateVersion])).toEqual([
      ['StockReserved', 1],
      ['StockReleased', 2],
    ]);
    const items = [
      { sku: 'MUG', quantity: 2 },
      { sku: 'TEE', quantity: 1 },
    ];
    expect(events[0]).toMatchObject({
      aggregateId: reservation.id,
      data: { reservationId: reservation.id, orderId: 'order-1', items },
      metadata: {
        correlationId: 'checkout-42',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
    });
    expect(events[1]).toMatchObject({
      data: { reservationId: reservation.id, orderId: 'order-1', items, reason: 'payment declined' },
    });
    // The relay marks rows published after SNS accepted them, so a consumer can see the events a moment earlier.
    await eventually(async () => expect(await relay.pendingCount()).toBe(0));
  });

  it('publishes nothing for refusals, repeats, tombstones and commits', async () => {
    const { app } = inventory;
    await addProduct(app, 'MUG', 1);
    await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 1 }]);
    await reserve(app, 'order-1', [{ sku: 'MUG', quantity: 1 }]); // repeat
    await reserve(app, 'order-2', [{ sku: 'MUG', quantity: 1 }]); // out of stock
    await release(app, 'order-3'); // tombstone
    await commit(app, 'order-1');
    await release(app, 'order-1'); // 409 after commit

    const events = await receiveEvents(1);
    expect(events.map((event) => event.eventType)).toEqual(['StockReserved']);
    const { rows } = await inventory.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
    expect(rows[0]!.n).toBe(1);
  });
});
