/**
 * The asynchronous side, the real way round: user events reach the customer replica through SNS → SQS, and the
 * shipping service's own outbox relay publishes ShipmentDispatched/Delivered, which the order service's consumer turns
 * into OrderShipped/OrderDelivered — published in turn to whoever listens (here: an event probe on the order topic).
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import { createEvent, type EventType } from '@shop/contracts';
import { createConsumer, createOutboxRelay, type Consumer, type OutboxRelay } from '@shop/messaging';
import { eventually } from '@shop/testing';
import { orderEventHandlers } from '../src/events/order-event-handlers';
import {
  orderRelay,
  publishedOrderEvents,
  publishedOrderEventTypes,
  startMessaging,
  type Messaging,
} from './support/messaging';
import { getOrder, placeOrder, settledOrder, startOrderApp, type OrderFixture } from './support/order-app';
import { addProduct, startParticipants, type Participants } from './support/participants';

let messaging: Messaging;
let participants: Participants;
let order: OrderFixture;
let relays: OutboxRelay[];
let consumer: Consumer;

beforeAll(async () => {
  messaging = await startMessaging();
  let wakeShipping = () => undefined as void;
  participants = await startParticipants({ onShippingEvents: () => wakeShipping() });
  const shippingRelay = createOutboxRelay({
    db: participants.shipping.db,
    sns: messaging.clients.sns,
    topicArn: messaging.topology.topicArns.shipping!,
    pollIntervalMs: 50,
  });
  wakeShipping = () => shippingRelay.wake();
  let wakeOrder = () => undefined as void;
  order = await startOrderApp(participants.urls, { onEventsCommitted: () => wakeOrder() });
  const relay = orderRelay(messaging, order.db);
  wakeOrder = () => relay.wake();
  relays = [shippingRelay, relay];
  for (const started of relays) started.start();
  consumer = createConsumer({
    db: order.db,
    sqs: messaging.clients.sqs,
    name: 'order',
    handlers: orderEventHandlers(order.app.orders),
    waitTimeSeconds: 1,
    retryDelaySeconds: () => 0,
  });
  await consumer.start();
}, 240_000); // the participants and their databases on a busy CI machine

afterAll(async () => {
  await consumer?.stop();
  for (const relay of relays ?? []) await relay.stop();
  await order?.close();
  await participants?.close();
  await messaging?.close();
});

async function publishUserEvent(
  eventType: Extract<EventType, 'UserRegistered' | 'UserUpdated'>,
  userId: string,
  version: number,
  name: string,
) {
  const event = createEvent({
    eventType,
    aggregateId: userId,
    aggregateVersion: version,
    data: { userId, email: `${userId}@example.com`, name },
    metadata: { correlationId: `user-${userId}` },
  });
  await messaging.clients.sns.send(
    new PublishCommand({
      TopicArn: messaging.topology.topicArns.user!,
      Message: JSON.stringify(event),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: eventType } },
    }),
  );
}

const customerRow = async (id: string) =>
  (await order.db.query<{ name: string; version: number }>('SELECT name, version FROM customers WHERE id = $1', [id]))
    .rows[0];

it('keeps the customer replica from user events, newest version winning over late ones', async () => {
  const userId = `u-${randomUUID().slice(0, 8)}`;
  await publishUserEvent('UserRegistered', userId, 1, 'Ada');
  await eventually(async () => expect(await customerRow(userId)).toEqual({ name: 'Ada', version: 1 }));

  await publishUserEvent('UserUpdated', userId, 3, 'Ada Lovelace');
  await eventually(async () => expect(await customerRow(userId)).toEqual({ name: 'Ada Lovelace', version: 3 }));
  await publishUserEvent('UserUpdated', userId, 2, 'Stale Name'); // overtaken in the queue: must not win
  const marker = `u-${randomUUID().slice(0, 8)}`;
  await publishUserEvent('UserRegistered', marker, 1, 'Marker');
  await eventually(async () => expect(await customerRow(marker)).toBeDefined());
  await eventually(async () => {
    const { rows } = await order.db.query(
      "SELECT 1 FROM inbox WHERE consumer = 'order' AND event_type = 'UserUpdated' AND aggregate_id = $1",
      [userId],
    );
    expect(rows).toHaveLength(2);
  });
  expect(await customerRow(userId)).toEqual({ name: 'Ada Lovelace', version: 3 });
}, 30_000);

it('a registered customer can order; shipment progress becomes OrderShipped and OrderDelivered', async () => {
  const customerId = `u-${randomUUID().slice(0, 8)}`;
  await publishUserEvent('UserRegistered', customerId, 1, 'Grace');
  const sku = `BOOK-${customerId}`;
  await addProduct(participants.inventory, sku, 3, 2_000);

  const placed = await eventually(async () => {
    const response = await placeOrder(order.app, customerId, { items: [{ sku, quantity: 1 }] });
    expect(response.statusCode).toBe(202); // 422 until the UserRegistered has reached the replica
    return response.json() as { id: string };
  });
  const confirmed = await settledOrder(order.app, placed.id);
  expect(confirmed.status).toBe('CONFIRMED');

  await participants.dispatcher.runDue(); // CREATED → DISPATCHED
  const shipped = await eventually(
    async () => {
      const current = await getOrder(order.app, placed.id);
      expect(current.status).toBe('SHIPPED');
      return current;
    },
    { timeoutMs: 15_000 },
  );
  expect(shipped).toMatchObject({
    shipmentId: confirmed.shipmentId,
    carrier: 'Test Parcel',
    trackingNumber: expect.stringMatching(/^RS/),
  });

  await participants.dispatcher.runDue(); // DISPATCHED → DELIVERED
  await eventually(async () => expect((await getOrder(order.app, placed.id)).status).toBe('DELIVERED'), {
    timeoutMs: 15_000,
  });

  await eventually(async () =>
    expect(await publishedOrderEventTypes(messaging, placed.id)).toEqual([
      'OrderPlaced',
      'OrderConfirmed',
      'OrderShipped',
      'OrderDelivered',
    ]),
  );
  // Everything one checkout caused shares the POST request's correlation id.
  const correlationIds = new Set(
    (await publishedOrderEvents(messaging, placed.id)).slice(0, 2).map((event) => event.metadata.correlationId),
  );
  expect(correlationIds.size).toBe(1);
}, 60_000);
