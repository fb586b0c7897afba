/**
 * Reservation events travel the real path: outbox row in the reservation's transaction → relay (woken on commit) →
 * SNS topic → SQS queue subscribed through the topology module, on an in-process local-aws. Each arrives schema-valid.
 */
import { randomBytes } from 'node:crypto';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { validateEvent, type AnyEvent, type Topology } from '@shop/contracts';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createOutboxRelay,
  destroyAwsClients,
  provisionTopology,
  type AwsClients,
  type OutboxRelay,
} from '@shop/messaging';
import { eventually, testEngines } from '@shop/testing';
import { addProduct, commit, release, reserve, startInventory, type InventoryFixture } from './inventory-fixture';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(testEngines())('inventory events on %s', (engine) => {
  let aws: LocalAws;
  let clients: AwsClients;
  let relay: OutboxRelay;
  let inventory: InventoryFixture;
  let queueUrl: string;

  beforeEach(async () => {
    aws = await startLocalAws({ port: 0, host: '127.0.0.1' });
    clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
    // A consumer of inventory events, e.g. a stock dashboard; the names are unique so tests never share queues.
    const topology: Topology = {
      producers: { inventory: { topic: unique('inventory-events') } },
      consumers: {
        watcher: { queue: unique('stock-watcher'), subscribes: { inventory: ['StockReserved', 'StockReleased'] } },
      },
    };
    const provisioned = await provisionTopology(clients, topology);
    queueUrl = provisioned.queues.watcher!.url;
    let wake = () => undefined as void;
    inventory = await startInventory(engine, { onEventsCommitted: () => wake() });
    relay = createOutboxRelay({
      db: inventory.db,
      sns: clients.sns,
      topicArn: provisioned.topicArns.inventory!,
      pollIntervalMs: 60_000,
    });
    wake = () => relay.wake();
    relay.start();
  });
  afterEach(async () => {
    await relay.stop();
    await inventory.close();
    destroyAwsClients(clients);
    await aws.close();
  });

  /** Drains the queue until `count` events arrived; every one must pass the contract's validation. */
  async function receiveEvents(count: number): Promise<AnyEvent[]> {
    const received: AnyEvent[] = [];
    await eventually(
      async () => {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ['All'],
          }),
        );
        for (const message of Messages) {
          const result = validateEvent(JSON.parse(message.Body!));
          if (!result.ok) throw new Error(`invalid event: ${result.reason} ${result.errors.join('; ')}`);
          expect(message.MessageAttributes?.eventType?.StringValue).toBe(result.event.eventType);
          received.push(result.event);
          await clients.sqs.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }),
          );
        }
        if (received.length < count) throw new Error(`${received.length} of ${count} events arrived`);
      },
      { timeoutMs: 10_000 },
    );
    return received;
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
    expect(await relay.pendingCount()).toBe(0);
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
