/**
 * Messaging faults, in-process: the broker (local-aws) is restarted mid-run on the same port — its queues are gone
 * and re-provisioned, as after a LocalStack restart — and events keep flowing without restarting the services: the
 * outbox relay and the consumer recover by themselves. Then duplicate deliveries (an already consumed message sent
 * again, straight to the queue) are absorbed by the inbox: the handler runs once per event.
 * Slow consumers (the visibility heartbeat) are covered by packages/messaging/test/end-to-end.test.ts.
 */
import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createEvent, systemTopology } from '@shop/contracts';
import type { Database } from '@shop/db';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import {
  createAwsClients,
  createServiceMessaging,
  destroyAwsClients,
  enqueueEvents,
  installMessagingSchema,
  provisionTopology,
  type ServiceMessaging,
} from '@shop/messaging';
import { createTestDatabase, eventually } from '@shop/testing';
import { readQueueDepths } from '../src/invariants/read-system-state';

describe('messaging under broker restarts and duplicate deliveries', () => {
  let broker: LocalAws;
  let producerDb: Database;
  let consumerDb: Database;
  let producer: ServiceMessaging;
  let consumer: ServiceMessaging;
  const outcomes: Record<string, number> = {};
  const handledBodies: string[] = [];

  async function provision(): Promise<void> {
    const clients = createAwsClients({ endpoint: broker.endpoint, region: 'us-east-1' });
    await provisionTopology(clients, systemTopology);
    destroyAwsClients(clients);
  }

  async function publishRegistrations(from: number, count: number): Promise<void> {
    await producerDb.transaction(async (tx) => {
      const events = Array.from({ length: count }, (_, i) =>
        createEvent({
          eventType: 'UserRegistered',
          aggregateId: `user-${from + i}`,
          aggregateVersion: 1,
          data: { userId: `user-${from + i}`, email: `u${from + i}@example.com`, name: `User ${from + i}` },
          metadata: { correlationId: `restart-test-${from + i}` },
        }),
      );
      await enqueueEvents(tx, events);
    });
    producer.wake();
  }

  const handled = async () =>
    (await consumerDb.query<{ n: number }>('SELECT count(*)::int AS n FROM registrations_seen')).rows[0]!.n;

  beforeAll(async () => {
    broker = await startLocalAws({ port: 0 });
    await provision();
    producerDb = await createTestDatabase('pglite');
    await installMessagingSchema(producerDb);
    consumerDb = await createTestDatabase('pglite');
    await installMessagingSchema(consumerDb);
    await consumerDb.query('CREATE TABLE registrations_seen (user_id text NOT NULL)');

    producer = createServiceMessaging({
      service: 'user',
      db: producerDb,
      endpoint: broker.endpoint,
      region: 'us-east-1',
      relayOptions: { pollIntervalMs: 50 },
    });
    consumer = createServiceMessaging({
      service: 'order',
      db: consumerDb,
      endpoint: broker.endpoint,
      region: 'us-east-1',
      consumerOptions: {
        waitTimeSeconds: 1,
        onOutcome: (outcome) => {
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        },
      },
    });
    producer.start();
    consumer.start({
      UserRegistered: async (event, tx) => {
        await tx.query('INSERT INTO registrations_seen (user_id) VALUES ($1)', [event.data.userId]);
        handledBodies.push(JSON.stringify(event));
      },
    });
  }, 30_000);

  afterAll(async () => {
    await consumer?.close();
    await producer?.close();
    await broker?.close();
    await producerDb?.close();
    await consumerDb?.close();
  }, 30_000);

  it('keeps delivering after local-aws restarts on the same port and the queues are provisioned again', async () => {
    await publishRegistrations(0, 5);
    await eventually(async () => expect(await handled()).toBe(5), { timeoutMs: 15_000, intervalMs: 50 });

    const port = broker.port;
    await broker.close();
    // Events written while the broker is away wait in the outbox: the relay fails, records it and retries.
    await publishRegistrations(5, 5);
    await eventually(
      async () => {
        const { rows } = await producerDb.query<{ failed: number }>(
          'SELECT count(*)::int AS failed FROM outbox WHERE published_at IS NULL AND attempts > 0',
        );
        expect(rows[0]!.failed).toBe(5);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    broker = await startLocalAws({ port });
    await provision();

    // Both keep going without a restart of their own: the relay publishes the backlog, the consumer receives again.
    await publishRegistrations(10, 5);
    await eventually(
      async () => {
        const seen = (await consumerDb.query<{ user_id: string }>('SELECT user_id FROM registrations_seen')).rows.map(
          (r) => r.user_id,
        );
        expect(seen).toEqual(expect.arrayContaining(['user-10', 'user-11', 'user-12', 'user-13', 'user-14']));
      },
      { timeoutMs: 45_000, intervalMs: 100 },
    );
    await eventually(async () => expect(await producer.relay!.pendingCount()).toBe(0), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    // The backlog is published once the topic exists again; whether it reaches the queue depends on whether its
    // subscription was already re-created at that moment (provisioning creates topics, then queues, then
    // subscriptions) — the same as with SNS. So only its publication is asserted.
  }, 90_000);

  it('absorbs duplicate deliveries in the inbox: each event handled once', async () => {
    const sqs = createAwsClients({ endpoint: broker.endpoint, region: 'us-east-1' });
    try {
      const { QueueUrl } = await sqs.sqs.send(new GetQueueUrlCommand({ QueueName: 'order-service' }));
      const before = { handled: await handled(), duplicates: outcomes.duplicate ?? 0 };
      for (const body of handledBodies.slice(0, 5)) {
        for (let copy = 0; copy < 2; copy++)
          await sqs.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
      }
      await eventually(async () => expect((outcomes.duplicate ?? 0) - before.duplicates).toBe(10), {
        timeoutMs: 15_000,
        intervalMs: 50,
      });
      expect(await handled()).toBe(before.handled);
      await eventually(async () => {
        const queue = (await readQueueDepths(broker.endpoint)).find((q) => q.name === 'order-service')!;
        expect(queue.visible + queue.inFlight + queue.delayed).toBe(0);
      });
    } finally {
      destroyAwsClients(sqs);
    }
  }, 30_000);
});
