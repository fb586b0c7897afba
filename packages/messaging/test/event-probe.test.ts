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
