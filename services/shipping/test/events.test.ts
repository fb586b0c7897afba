// Shipment events travel outbox → SNS → SQS through a topology provisioned by @shop/messaging, on local-aws.
import { randomBytes } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { validateEvent, type Topology } from '@shop/contracts';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import { createAwsClients, createOutboxRelay, destroyAwsClients, provisionTopology, type AwsClients, type OutboxRelay } from '@shop/messaging';
import { eventually, testEngines } from '@shop/testing';
import { Dispatcher } from '../src/dispatcher';
import { createBody, schedule, startShipping, type ShippingFixture } from './fixtures';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(testEngines())('shipment events through SNS/SQS on %s', (engine) => {
  let aws: LocalAws;
  let clients: AwsClients;
  let fx: ShippingFixture;
  let relay: OutboxRelay | undefined;
  let queueUrl: string;

  beforeEach(async () => {
    aws = await startLocalAws({ port: 0, host: '127.0.0.1' });
    clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
    const topology: Topology = {
      producers: { shipping: { topic: unique('shipping-events') } },
      consumers: {
        probe: {
          queue: unique('shipping-probe'),
          subscribes: { shipping: ['ShipmentCreated', 'ShipmentDispatched', 'ShipmentDelivered', 'ShipmentCancelled'] },
        },
      },
    };
    const provisioned = await provisionTopology(clients, topology);
    queueUrl = provisioned.queues.probe!.url;
    fx = await startShipping(engine, { onEventsCommitted: () => relay?.wake() });
    relay = createOutboxRelay({ db: fx.db, sns: clients.sns, topicArn: provisioned.topicArns.shipping! });
    relay.start();
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await fx.close();
    destroyAwsClients(clients);
    await aws.close();
  });

  it('publishes Created, Dispatched, Delivered and Cancelled, schema-valid, with eventType attributes', async () => {
    const delivered = (await fx.app.inject({ method: 'POST', url: '/shipments', payload: createBody('order-1') })).json();
    const cancelled = (await fx.app.inject({ method: 'POST', url: '/shipments', payload: createBody('order-2') })).json();
    await fx.app.inject({ method: 'POST', url: `/shipments/${cancelled.id}/cancel`, payload: { reason: 'refunded' } });
    const dispatcher = new Dispatcher({
      db: fx.db,
      clock: fx.clock,
      schedule,
      carrier: 'Test Parcel',
      batchSize: 10,
      pollIntervalMs: 1_000,
      onEventsCommitted: () => relay?.wake(),
    });
    await fx.clock.advance(schedule.dispatchDelayMs);
    await dispatcher.runDue();
    await fx.clock.advance(schedule.deliveryDelayMs);
    await dispatcher.runDue();

    const received: Message[] = [];
    await eventually(
      async () => {
        const { Messages = [] } = await clients.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
        );
        if (Messages.length > 0) {
          received.push(...Messages);
          await clients.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })),
            }),
          );
        }
        expect(received).toHaveLength(5);
      },
      { timeoutMs: 10_000 },
    );

    const events = received.map((message) => {
      const result = validateEvent(JSON.parse(message.Body!));
      if (!result.ok) throw new Error(`invalid event: ${result.reason} ${result.errors.join('; ')}`);
      expect(message.MessageAttributes?.eventType?.StringValue).toBe(result.event.eventType);
      return result.event;
    });
    const seen = (shipmentId: string) =>
      events
        .filter((event) => event.aggregateId === shipmentId)
        .sort((a, b) => a.aggregateVersion - b.aggregateVersion)
        .map((event) => event.eventType);
    expect(seen(delivered.id)).toEqual(['ShipmentCreated', 'ShipmentDispatched', 'ShipmentDelivered']);
    expect(seen(cancelled.id)).toEqual(['ShipmentCreated', 'ShipmentCancelled']);
    expect(await relay!.pendingCount()).toBe(0);
  });
});
