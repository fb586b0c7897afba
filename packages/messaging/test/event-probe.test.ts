import { createEvent } from '@shop/contracts';
import { createTestDatabase } from '@shop/testing';
import { createOutboxRelay, enqueueEvents, messagingMigrationsDir } from '../src';
import { runMigrations } from '@shop/db';
import { startEventProbe } from '../src/testing';

it('the event probe receives what a relay publishes to the producer topic, validated', async () => {
  const probe = await startEventProbe('user');
  const db = await createTestDatabase('pglite');
  try {
    await runMigrations(db, messagingMigrationsDir);
    const event = createEvent({
      eventType: 'UserRegistered',
      aggregateId: 'u1',
      aggregateVersion: 1,
      data: { userId: 'u1', email: 'a@b.co', name: 'A' },
      metadata: { correlationId: 'c1' },
    });
    await db.transaction((tx) => enqueueEvents(tx, [event]));
    const relay = createOutboxRelay({ db, sns: probe.aws.sns, topicName: probe.topicName });
    await relay.publishPending();
    expect(await probe.receive(1)).toEqual([event]);
  } finally {
    await db.close();
    await probe.close();
  }
});

it('keeps the message attributes each event arrived with, and receive(0) takes in what is there without waiting', async () => {
  const probe = await startEventProbe('user');
  const db = await createTestDatabase('pglite');
  try {
    await runMigrations(db, messagingMigrationsDir);
    expect(await probe.receive(0)).toEqual([]);
    const events = [1, 2].map((version) =>
      createEvent({
        eventType: version === 1 ? 'UserRegistered' : 'UserUpdated',
        aggregateId: 'u1',
        aggregateVersion: version,
        data: { userId: 'u1', email: 'a@b.co', name: `A${version}` },
        metadata: { correlationId: 'c1' },
      }),
    );
    await db.transaction((tx) => enqueueEvents(tx, events));
    await createOutboxRelay({ db, sns: probe.aws.sns, topicName: probe.topicName }).publishPending();
    const messages = await probe.receiveMessages(2);
    expect(
      messages.map(({ event, attributes }) => [event.eventType, attributes.eventType?.StringValue]).sort(),
    ).toEqual([
      ['UserRegistered', 'UserRegistered'],
      ['UserUpdated', 'UserUpdated'],
    ]);
    expect(await probe.receive(0)).toHaveLength(2);
  } finally {
    await db.close();
    await probe.close();
  }
});
