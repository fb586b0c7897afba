// Events reach a queue subscribed through the topology module, schema-valid, once per effect.
import { createOutboxRelay, type OutboxRelay } from '@shop/messaging';
import { startEventProbe, type EventProbe } from '@shop/messaging/testing';
import type { ServiceApp } from '@shop/service-kit';
import { eventually, testEngines, type TestDatabase } from '@shop/testing';
import { migratedDatabase, pay, paymentBody, testApp } from './fixtures';

describe.each(testEngines())('payment events through SNS → SQS on %s', (engine) => {
  let probe: EventProbe;
  let db: TestDatabase;
  let relay: OutboxRelay;
  let app: ServiceApp;

  beforeEach(async () => {
    probe = await startEventProbe('payment');
    db = await migratedDatabase(engine);
    relay = createOutboxRelay({ db, sns: probe.aws.sns, topicName: probe.topicName });
    relay.start();
    ({ app } = await testApp(db, { onEventsCommitted: () => relay.wake() }));
  });
  afterEach(async () => {
    await app.close();
    await relay.stop();
    await db.close();
    await probe.close();
  });

  it('publishes one schema-valid PaymentCaptured for 20 concurrent identical requests', async () => {
    const body = paymentBody();
    const responses = await Promise.all(Array.from({ length: 20 }, () => pay(app, body, 'key-events')));
    expect(new Set(responses.map((response) => `${response.statusCode} ${response.body}`)).size).toBe(1);

    expect(await probe.receiveMessages(1, 10_000)).toHaveLength(1);
    await eventually(async () => expect(await relay.pendingCount()).toBe(0));
    // Everything is published; a last look finds nothing more.
    const messages = await probe.receiveMessages(0);
    expect(messages).toHaveLength(1);

    // The probe has validated the event against its schema.
    const { event, attributes } = messages[0]!;
    expect(event).toMatchObject({
      eventType: 'PaymentCaptured',
      aggregateId: responses[0]!.json().id,
      data: { orderId: body.orderId, amount: { amountMinor: body.amount, currency: body.currency } },
    });
    expect(attributes.eventType?.StringValue).toBe('PaymentCaptured');
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
    expect((await probe.receive(3, 10_000)).length).toBeGreaterThanOrEqual(3);
    await eventually(async () => expect(await relay.pendingCount()).toBe(0));
    // Schema-validated by the probe; the last look finds no second refund.
    const types = (await probe.receive(0)).map((event) => event.eventType).sort();
    expect(types).toEqual(['PaymentCaptured', 'PaymentDeclined', 'PaymentRefunded']);
  });
});
