// Shipment events travel outbox → SNS → SQS through a topology provisioned by @shop/messaging, on local-aws.
import { createOutboxRelay, type OutboxRelay } from '@shop/messaging';
import { startEventProbe, type EventProbe } from '@shop/messaging/testing';
import { eventually, testEngines } from '@shop/testing';
import { Dispatcher } from '../src/dispatcher';
import { createBody, schedule, startShipping, type ShippingFixture } from './fixtures';

describe.each(testEngines())('shipment events through SNS/SQS on %s', (engine) => {
  let probe: EventProbe;
  let fx: ShippingFixture;
  let relay: OutboxRelay | undefined;

  beforeEach(async () => {
    probe = await startEventProbe('shipping');
    fx = await startShipping(engine, { onEventsCommitted: () => relay?.wake() });
    relay = createOutboxRelay({ db: fx.db, sns: probe.aws.sns, topicName: probe.topicName });
    relay.start();
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    await fx.close();
    await probe.close();
  });

  it('publishes Created, Dispatched, Delivered and Cancelled, schema-valid, with eventType attributes', async () => {
    const delivered = (
      await fx.app.inject({ method: 'POST', url: '/shipments', payload: createBody('order-1') })
    ).json();
    const cancelled = (
      await fx.app.inject({ method: 'POST', url: '/shipments', payload: createBody('order-2') })
    ).json();
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

    // Each event is schema-validated by the probe; its eventType attribute must name it.
    const messages = await probe.receiveMessages(5, 10_000);
    expect(messages).toHaveLength(5);
    for (const { event, attributes } of messages) expect(attributes.eventType?.StringValue).toBe(event.eventType);
    const events = messages.map((message) => message.event);
    const seen = (shipmentId: string) =>
      events
        .filter((event) => event.aggregateId === shipmentId)
        .sort((a, b) => a.aggregateVersion - b.aggregateVersion)
        .map((event) => event.eventType);
    expect(seen(delivered.id)).toEqual(['ShipmentCreated', 'ShipmentDispatched', 'ShipmentDelivered']);
    expect(seen(cancelled.id)).toEqual(['ShipmentCreated', 'ShipmentCancelled']);
    // The relay marks rows published after SNS accepted them, so a consumer can see the events a moment earlier.
    await eventually(async () => expect(await relay!.pendingCount()).toBe(0));
  });
});
