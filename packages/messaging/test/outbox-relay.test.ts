import { FakeClock } from '@shop/clock';
import type { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { CircuitBreaker } from '@shop/resilience';
import { eventually, testEngines, type TestDatabase } from '@shop/testing';
import {
  createOutboxRelay,
  enqueueEvents,
  provisionTopology,
  type OutboxRelay,
  type ProvisionedTopology,
} from '../src';
import {
  databaseWithSchema,
  orderEvent,
  receiveAll,
  spyOnClient,
  startAws,
  testTopology,
  type AwsFixture,
} from './fixtures';

describe.each(testEngines())('outbox relay on %s', (engine) => {
  let aws: AwsFixture;
  let db: TestDatabase;
  let provisioned: ProvisionedTopology;
  const relays: OutboxRelay[] = [];
  const relay = (options: Partial<Parameters<typeof createOutboxRelay>[0]> = {}): OutboxRelay => {
    const created = createOutboxRelay({ db, sns: aws.sns, topicArn: provisioned.topicArns.order!, ...options });
    relays.push(created);
    return created;
  };
  /** Every event body the queue holds, in receive order (raw delivery: the envelopes). */
  const drainQueue = async (expected: number) =>
    eventually(async () => {
      const bodies: { aggregateId: string; aggregateVersion: number; eventId: string }[] = [];
      for (;;) {
        const batch = await receiveAll(aws.sqs, provisioned.queues.user!.url);
        if (batch.length === 0) break;
        bodies.push(...batch.map((m) => JSON.parse(m.Body!)));
      }
      received.push(...bodies);
      expect(received).toHaveLength(expected);
      return received;
    });
  let received: { aggregateId: string; aggregateVersion: number; eventId: string }[] = [];

  beforeAll(async () => {
    aws = await startAws();
  });
  afterAll(() => aws.close());
  beforeEach(async () => {
    db = await databaseWithSchema(engine);
    provisioned = await provisionTopology(aws, testTopology());
    received = [];
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await db.close();
  });

  it('publishes what a committed transaction enqueued, as soon as it is woken', async () => {
    const r = relay({ pollIntervalMs: 60_000 }); // no poll to rescue us: only wake()
    r.start();
    const event = orderEvent('OrderPlaced', 'order-1', 1);
    await db.transaction((tx) => enqueueEvents(tx, [event])).then(() => r.wake());
    const [body] = await drainQueue(1);
    expect(body).toEqual(event);
    await eventually(async () => expect(await r.pendingCount()).toBe(0)); // marked when the relay's pass commits
  });

  it('publishes nothing from a transaction that rolled back', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueueEvents(tx, [orderEvent('OrderPlaced', 'order-1', 1)]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await relay().publishPending()).toEqual({ published: 0, failed: 0, more: false });
  });

  it('refuses to enqueue an invalid event', async () => {
    const bad = { ...orderEvent('OrderPlaced', 'order-1', 1), data: { orderId: 'order-1' } };
    await expect(db.transaction((tx) => enqueueEvents(tx, [bad as never]))).rejects.toThrow(/customerId/);
  });

  it("publishes each aggregate's events in version order across passes", async () => {
    const r = relay({ batchSize: 4 });
    for (let version = 1; version <= 6; version++) {
      await db.transaction((tx) =>
        enqueueEvents(tx, [
          orderEvent('OrderConfirmed', 'order-a', version),
          orderEvent('OrderConfirmed', 'order-b', version),
        ]),
      );
    }
    while ((await r.publishPending()).more);
    const bodies = await drainQueue(12);
    for (const aggregate of ['order-a', 'order-b']) {
      const versions = bodies.filter((b) => b.aggregateId === aggregate).map((b) => b.aggregateVersion);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('never skips a row committed late with a lower id', async () => {
    const r = relay();
    await db.transaction((tx) => enqueueEvents(tx, [orderEvent('OrderPlaced', 'order-2', 1)]));
    await r.publishPending();
    // A slower transaction took id 1 earlier but commits only now (simulated with an explicit id below the first).
    await db.query(
      `INSERT INTO outbox (id, event_id, event_type, aggregate_id, aggregate_version, envelope)
       VALUES (-1, $1, 'OrderPlaced', 'order-1', 1, $2::jsonb)`,
      [orderEvent('OrderPlaced', 'order-1', 1).eventId, JSON.stringify(orderEvent('OrderPlaced', 'order-1', 1))],
    );
    expect(await r.publishPending()).toMatchObject({ published: 1 });
    await drainQueue(2);
  });

  it('keeps events pending while SNS fails, backs off behind the breaker, then publishes them', async () => {
    const clock = new FakeClock();
    let snsDown = true;
    const sns = spyOnClient(aws.sns as SNSClient, () => {
      if (snsDown) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
    });
    const breaker = new CircuitBreaker({ consecutiveFailures: 2, openDurationMs: 5_000, clock });
    const r = relay({ sns, clock, breaker, backoff: () => 1_000, pollIntervalMs: 60_000, publishTimeoutMs: 30_000 });
    await db.transaction((tx) => enqueueEvents(tx, [orderEvent('OrderPlaced', 'order-1', 1)]));
    r.start();
    await eventually(async () => {
      const { rows } = await db.query<{ attempts: number; last_error: string }>(
        'SELECT attempts, last_error FROM outbox',
      );
      expect(rows[0]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') });
    });
    await clock.waitForTimer((timer) => timer.delayMs === 1_000); // the backoff before retrying
    await clock.advance(1_000); // second failure opens the circuit
    await clock.waitForTimer((timer) => timer.delayMs === 5_000); // the relay waits out the open circuit
    expect(breaker.state).toBe('open');
    snsDown = false;
    await clock.advance(5_000); // the trial call succeeds
    await drainQueue(1);
    // The row is marked published when the relay's transaction commits, a moment after SNS has the message.
    await eventually(async () => expect(await r.pendingCount()).toBe(0));
  });

  it('prunes published rows after the retention period', async () => {
    const r = relay({ retentionMs: 60_000 });
    await db.transaction((tx) =>
      enqueueEvents(tx, [orderEvent('OrderPlaced', 'old', 1), orderEvent('OrderPlaced', 'recent', 1)]),
    );
    await r.publishPending();
    await db.query(`UPDATE outbox SET published_at = now() - interval '2 minutes' WHERE aggregate_id = 'old'`);
    await db.transaction((tx) => enqueueEvents(tx, [orderEvent('OrderPlaced', 'pending', 1)]));
    expect(await r.prunePublished()).toBe(1);
    const { rows } = await db.query<{ aggregate_id: string }>('SELECT aggregate_id FROM outbox ORDER BY aggregate_id');
    expect(rows.map((row) => row.aggregate_id)).toEqual(['pending', 'recent']);
  });

  (engine === 'postgres' ? it : it.skip)(
    'shares the work between relays without reordering an aggregate (Postgres only: needs concurrent transactions)',
    async () => {
      const batchesPublished: string[][] = [];
      const sns = spyOnClient(aws.sns as SNSClient, (command) => {
        const entries = (command as PublishBatchCommand).input.PublishBatchRequestEntries ?? [];
        batchesPublished.push(entries.map((entry) => entry.Id!));
      });
      const events: ReturnType<typeof orderEvent>[] = [];
      for (let version = 1; version <= 10; version++) {
        for (let aggregate = 0; aggregate < 8; aggregate++) {
          events.push(orderEvent('OrderConfirmed', `order-${aggregate}`, version));
        }
      }
      await db.transaction((tx) => enqueueEvents(tx, events));
      const [a, b] = [relay({ sns, batchSize: 5 }), relay({ sns, batchSize: 5 })];
      const drain = async (r: OutboxRelay) => {
        while ((await r.publishPending()).published > 0);
      };
      await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
      const bodies = await drainQueue(80);
      expect(new Set(bodies.map((b) => b.eventId)).size).toBe(80);
      for (let aggregate = 0; aggregate < 8; aggregate++) {
        const versions = bodies.filter((b) => b.aggregateId === `order-${aggregate}`).map((b) => b.aggregateVersion);
        expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
    },
  );
});
