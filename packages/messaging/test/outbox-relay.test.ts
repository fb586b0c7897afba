import { FakeClock } from '@shop/clock';
import type { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { CircuitBreaker } from '@shop/resilience';
import { eventually, itOnEngine, testEngines, type TestDatabase } from '@shop/testing';
import {
  createOutboxRelay,
  enqueueEvents,
  provisionTopology,
  type OutboxRelay,
  type ProvisionedTopology,
} from '../src';
import {
  databaseWithSchema,
  holdCalls,
  orderEvent,
  recordingLogger,
  receiveAll,
  spyOnClient,
  startAws,
  testTopology,
  type AwsFixture,
  type HeldClient,
} from './fixtures';

/** A wall-clock instant for fake clocks: claims store it as a timestamptz. */
const T0 = Date.parse('2026-01-01T00:00:00Z');

describe.each(testEngines())('outbox relay on %s', (engine) => {
  let aws: AwsFixture;
  let db: TestDatabase;
  let provisioned: ProvisionedTopology;
  const relays: OutboxRelay[] = [];
  const heldClients: HeldClient<SNSClient>[] = [];
  /** SNS calls that wait until the test releases them (released anyway after each test). */
  const heldSns = (): HeldClient<SNSClient> => {
    const held = holdCalls(aws.sns as SNSClient);
    heldClients.push(held);
    return held;
  };
  const enqueue = (...events: ReturnType<typeof orderEvent>[]) => db.transaction((tx) => enqueueEvents(tx, events));
  const outboxRows = async () =>
    (
      await db.query<{ version: number; published: boolean; attempts: number; claimed: boolean }>(
        `SELECT aggregate_version AS version, published_at IS NOT NULL AS published, attempts,
                claimed_by IS NOT NULL AS claimed
           FROM outbox ORDER BY id`,
      )
    ).rows;
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
    for (const held of heldClients.splice(0)) held.release();
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

  it('shares the work between relays without reordering an aggregate', async () => {
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
  });

  describe('claims instead of locks across the SNS call', () => {
    it('holds no transaction or row lock while a PublishBatch is in flight', async () => {
      const sns = heldSns();
      const r = relay({ sns: sns.client });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1));
      const pass = r.publishPending();
      await sns.arrived();
      // The service commits its next event meanwhile (PGlite has one connection: an open relay transaction stalls it)…
      await enqueue(orderEvent('OrderConfirmed', 'order-1', 2));
      // …and the row being published can be locked without waiting (a row lock held by the relay would refuse this).
      await db.transaction((tx) => tx.query(`SELECT id FROM outbox WHERE aggregate_id = 'order-1' FOR UPDATE NOWAIT`));
      sns.release();
      expect(await pass).toMatchObject({ published: 1, failed: 0 });
      expect(await outboxRows()).toEqual([
        { version: 1, published: true, attempts: 0, claimed: false },
        { version: 2, published: false, attempts: 0, claimed: false },
      ]);
    });

    itOnEngine(
      engine,
      'postgres',
      'reads pg_stat_activity',
    )('leaves no session idle in transaction while a PublishBatch is in flight', async () => {
      const sns = heldSns();
      const r = relay({ sns: sns.client });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1));
      const pass = r.publishPending();
      await sns.arrived();
      const { rows } = await db.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM pg_stat_activity
            WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      );
      expect(rows[0]!.open).toBe(0);
      sns.release();
      expect(await pass).toMatchObject({ published: 1 });
    });

    it('never lets a second relay publish a later event of an aggregate another relay is publishing', async () => {
      const sent: string[] = [];
      const recorded = spyOnClient(aws.sns as SNSClient, (command) => {
        for (const entry of (command as PublishBatchCommand).input.PublishBatchRequestEntries ?? []) {
          const { aggregateId, aggregateVersion } = JSON.parse(entry.Message!);
          sent.push(`${aggregateId}@${aggregateVersion}`);
        }
      });
      const slow = holdCalls(recorded);
      heldClients.push(slow);
      const first = relay({ sns: slow.client, batchSize: 1 }); // claims order-a's head only
      const second = relay({ sns: recorded });
      await enqueue(orderEvent('OrderConfirmed', 'order-a', 1), orderEvent('OrderConfirmed', 'order-b', 1));
      await enqueue(orderEvent('OrderConfirmed', 'order-a', 2), orderEvent('OrderConfirmed', 'order-b', 2));
      const firstPass = first.publishPending();
      await slow.arrived();
      // order-a's head is claimed, so order-a is blocked for the second relay; order-b is free.
      expect(await second.publishPending()).toMatchObject({ published: 2 });
      expect(sent).toEqual(['order-b@1', 'order-b@2']);
      slow.release();
      expect(await firstPass).toMatchObject({ published: 1 });
      expect(await second.publishPending()).toMatchObject({ published: 1 });
      expect(sent).toEqual(['order-b@1', 'order-b@2', 'order-a@1', 'order-a@2']);
    });

    it('lets another relay re-claim the rows once the lease has run out (a relay that died mid-publish)', async () => {
      const stuck = heldSns();
      // publishTimeoutMs 1 s → default lease 2 × 1 s + 1 s = 3 s, on each relay's own clock.
      const dying = relay({ sns: stuck.client, clock: new FakeClock(T0), publishTimeoutMs: 1_000 });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1), orderEvent('OrderConfirmed', 'order-1', 2));
      const dyingPass = dying.publishPending();
      await stuck.arrived();
      const early = relay({ clock: new FakeClock(T0 + 2_999), publishTimeoutMs: 1_000 });
      expect(await early.publishPending()).toMatchObject({ published: 0 });
      const late = relay({ clock: new FakeClock(T0 + 3_000), publishTimeoutMs: 1_000 });
      expect(await late.publishPending()).toMatchObject({ published: 2 });
      expect((await drainQueue(2)).map((body) => body.aggregateVersion)).toEqual([1, 2]);
      stuck.release(); // the first relay "comes back": at-least-once, its late copies are the inbox's to drop
      await dyingPass;
      expect(await outboxRows()).toEqual([
        { version: 1, published: true, attempts: 0, claimed: false },
        { version: 2, published: true, attempts: 0, claimed: false },
      ]);
    });

    it('does not settle rows another relay took over after its lease ran out', async () => {
      const [stale, successor] = [heldSns(), heldSns()];
      const logger = recordingLogger();
      const slow = relay({ sns: stale.client, clock: new FakeClock(T0), publishTimeoutMs: 1_000, logger });
      const next = relay({ sns: successor.client, clock: new FakeClock(T0 + 3_000), publishTimeoutMs: 1_000 });
      const third = relay({ clock: new FakeClock(T0 + 3_000), publishTimeoutMs: 1_000 });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1));
      const slowPass = slow.publishPending();
      await stale.arrived();
      const nextPass = next.publishPending();
      await successor.arrived();
      stale.release(Object.assign(new Error('socket hang up'), { name: 'NetworkingError' }));
      expect(await slowPass).toMatchObject({ published: 0, failed: 1 });
      expect(logger.lines).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/taken over/) }));
      // The stale relay's failure neither counted an attempt nor released the successor's claim: the row is still
      // the successor's, so a third relay cannot publish it alongside.
      expect(await outboxRows()).toEqual([{ version: 1, published: false, attempts: 0, claimed: true }]);
      expect(await third.publishPending()).toMatchObject({ published: 0 });
      successor.release();
      expect(await nextPass).toMatchObject({ published: 1 });
      expect(await outboxRows()).toEqual([{ version: 1, published: true, attempts: 0, claimed: false }]);
    });

    it('releases what a failed pass did not try, without counting an attempt against it', async () => {
      const sns = spyOnClient(aws.sns as SNSClient, () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
      });
      const r = relay({ sns });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1), orderEvent('OrderConfirmed', 'order-1', 2));
      expect(await r.publishPending()).toMatchObject({ published: 0, failed: 1 });
      expect(await outboxRows()).toEqual([
        { version: 1, published: false, attempts: 1, claimed: false },
        { version: 2, published: false, attempts: 0, claimed: false },
      ]);
    });

    it('starts no PublishBatch that could outlast its lease, and releases the rest at once', async () => {
      const clock = new FakeClock(T0);
      // Each call takes 600 ms of the relay's clock; a second one could run to 600 + 1000 > 1500 ms.
      const sns = {
        send: async (...args: Parameters<SNSClient['send']>) => {
          await clock.advance(600);
          return aws.sns.send(...args);
        },
      } as SNSClient;
      const r = relay({ sns, clock, publishTimeoutMs: 1_000, claimLeaseMs: 1_500 });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1), orderEvent('OrderConfirmed', 'order-1', 2));
      expect(await r.publishPending()).toEqual({ published: 1, failed: 0, more: true });
      expect(await outboxRows()).toEqual([
        { version: 1, published: true, attempts: 0, claimed: false },
        { version: 2, published: false, attempts: 0, claimed: false },
      ]);
      expect(await r.publishPending()).toMatchObject({ published: 1 }); // free now, not after the lease
    });

    it('refuses a lease that could not outlast one PublishBatch', () => {
      expect(() => relay({ publishTimeoutMs: 1_000, claimLeaseMs: 1_000 })).toThrow(/claimLeaseMs/);
    });
  });

  // Every round trip costs CPU (PGlite: a WASM call; Postgres: a server round trip), and services run a pass per
  // commit that enqueued: these pin a pass at one statement to claim and one to settle.
  describe('database round trips per pass', () => {
    const roundTripsSince = (before: number) => db.counters().roundTrips - before;

    it('claims and settles N events of one aggregate in two statements', async () => {
      const r = relay();
      await enqueue(...[1, 2, 3, 4, 5].map((version) => orderEvent('OrderConfirmed', 'order-1', version)));
      const before = db.counters().roundTrips;
      expect(await r.publishPending()).toMatchObject({ published: 5 });
      expect(roundTripsSince(before)).toBe(2);
      await drainQueue(5);
    });

    it('finds nothing to publish in one statement', async () => {
      const before = db.counters().roundTrips;
      expect(await relay().publishPending()).toEqual({ published: 0, failed: 0, more: false });
      expect(roundTripsSince(before)).toBe(1);
    });

    it('records a failure and releases the untried rows in the same single settle', async () => {
      const sns = spyOnClient(aws.sns as SNSClient, () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'NetworkingError' });
      });
      const r = relay({ sns });
      await enqueue(orderEvent('OrderPlaced', 'order-1', 1), orderEvent('OrderConfirmed', 'order-1', 2));
      const before = db.counters().roundTrips;
      expect(await r.publishPending()).toMatchObject({ published: 0, failed: 1 });
      expect(roundTripsSince(before)).toBe(2);
      const { rows } = await db.query<{ last_error: string | null }>('SELECT last_error FROM outbox ORDER BY id');
      expect(rows).toEqual([{ last_error: 'NetworkingError: connect ECONNREFUSED' }, { last_error: null }]);
    });
  });
});
