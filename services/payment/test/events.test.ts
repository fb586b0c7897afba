// Events reach a queue subscribed through the topology module, schema-valid, once per effect.
import { randomBytes } from 'node:crypto';
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { validateEvent, type Topology } from '@shop/contracts';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createOutboxRelay,
  destroyAwsClients,
  provisionTopology,
  type AwsClients,
  type OutboxRelay,
} from '@shop/messaging';
import type { ServiceApp } from '@shop/service-kit';
import { eventually, testEngines, type TestDatabase } from '@shop/testing';
import { migratedDatabase, pay, paymentBody, testApp } from './fixtures';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(testEngines())('payment events through SNS → SQS on %s', (engine) => {
  let aws: LocalAws;
  let clients: AwsClients;
  let db: TestDatabase;
  let relay: OutboxRelay;
  let app: ServiceApp;
  let queueUrl: string;
  const received: Message[] = [];

  beforeAll(async () => {
    aws = await startLocalAws({ port: 0, host: '127.0.0.1' });
    clients = createAwsClients({ endpoint: aws.endpoint, region: 'us-east-1' });
  });
  afterAll(async () => {
    destroyAwsClients(clients);
    await aws.close();
  });
  beforeEach(async () => {
    const topology: Topology = {
      producers: { payment: { topic: unique('payment-events') } },
      consumers: {
        checker: {
          queue: unique('payment-checker'),
          subscribes: { payment: ['PaymentCaptured', 'PaymentDeclined', 'PaymentRefunded'] },
        },
      },
    };
    const provisioned = await provisionTopology(clients, topology);
    queueUrl = provisioned.queues.checker!.url;
    db = await migratedDatabase(engine);
    relay = createOutboxRelay({ db, sns: clients.sns, topicArn: provisioned.topicArns.payment! });
    relay.start();
    ({ app } = await testApp(db, { onEventsCommitted: () => relay.wake() }));
    received.length = 0;
  });
  afterEach(async () => {
    await app.close();
    await relay.stop();
    await db.close();
  });

  /** Drains the queue into `received` until `count` messages arrived. */
  async function receive(count: number): Promise<Message[]> {
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
        received.push(...Messages);
        expect(received.length).toBeGreaterThanOrEqual(count);
      },
      { timeoutMs: 10_000 },
    );
    return received;
  }

  it('publishes one schema-valid PaymentCaptured for 20 concurrent identical requests', async () => {
    const body = paymentBody();
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(app, body, 'key-events')));
    expect(new Set(responses.map((response) => `${response.statusCode} ${response.body}`)).size).toBe(1);

    const [message] = await receive(1);
    await eventually(async () => expect(await relay.pendingCount()).toBe(0));
    // Everything is published; a last look finds nothing more.
    await receive(1);
    expect(received).toHaveLength(1);

    const result = validateEvent(JSON.parse(message!.Body!));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      eventType: 'PaymentCaptured',
      aggregateId: responses[0]!.json().id,
      data: { orderId: body.orderId, amount: { amountMinor: body.amount, currency: body.currency } },
    });
    expect(message!.MessageAttributes?.eventType?.StringValue).toBe('PaymentCaptured');
  });

  it('publishes PaymentDeclined and PaymentRefunded, schema-valid, each once', async () => {
    await pay(app, paymentBody({ paymentMethod: 'tok_declined' }));
    const captured = (await pay(app, paymentBody())).json();
    for (let i = 0; i < 2; i++) {
      await app.inject({
        method: 'POST',
        url: `/payments/${captured.id}/refunds`,
        payload: { reason: 'order cancelled' },
      });
    }
    const messages = await receive(3);
    await eventually(async () => expect(await relay.pendingCount()).toBe(0));
    await receive(3);
    const events = messages.map((message) => validateEvent(JSON.parse(message.Body!)));
    expect(events.every((event) => event.ok)).toBe(true);
    const types = events.map((event) => (event.ok ? event.event.eventType : 'invalid')).sort();
    expect(types).toEqual(['PaymentCaptured', 'PaymentDeclined', 'PaymentRefunded']);
  });
});
