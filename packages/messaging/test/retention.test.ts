/**
 * The tables messaging writes for every event — published outbox rows and inbox entries — stay bounded: the service's
 * messaging prunes both on a schedule. Weeks of traffic are simulated on a fake clock (rows are stamped with its
 * time), and the row counts never exceed (rows per day × retention days + one day not yet due).
 */
import { FakeClock } from '@shop/clock';
import { createMetricsRegistry } from '@shop/telemetry';
import { testEngines, testResources, type TestDatabase } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { createServiceMessaging, provisionTopology, type ServiceMessaging } from '../src';
import { databaseWithSchema, startAws, testTopology, uniqueName, type AwsFixture } from './fixtures';

const DAY = 86_400_000;

describe.each(testEngines())('messaging retention on %s', (engine) => {
  let aws: AwsFixture;
  let db: TestDatabase;
  let messaging: ServiceMessaging;
  let clock: FakeClock;
  const perDay = 40;

  const once = testResources('all');
  const each = testResources('each');
  beforeAll(() =>
    once.setup(async (track) => {
      aws = await track(startAws());
    }),
  );
  beforeEach(() =>
    each.setup(async (track) => {
      db = await track(databaseWithSchema(engine));
      const base = testTopology();
      // The consumer "user" also produces, so both tables are in play.
      const topology = { ...base, producers: { ...base.producers, user: { topic: uniqueName('user-events') } } };
      await provisionTopology(aws, topology);
      clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
      messaging = await track(
        createServiceMessaging({
          service: 'user',
          db,
          aws,
          topology,
          retention: { outboxMs: 7 * DAY, inboxMs: 14 * DAY, intervalMs: DAY },
          retentionClock: clock,
          relayOptions: { pollIntervalMs: 60_000 },
          consumerOptions: { waitTimeSeconds: 1 },
        }),
      );
    }),
  );

  /** One simulated day of traffic: events handled (inbox) and published (outbox), stamped with the fake clock. */
  async function oneDayOfEvents(): Promise<void> {
    const at = new Date(clock.now());
    for (let i = 0; i < perDay; i++) {
      await db.query(
        `INSERT INTO inbox (consumer, event_id, event_type, aggregate_id, aggregate_version, processed_at)
         VALUES ('user', $1, 'OrderPlaced', $2, 1, $3)`,
        [randomUUID(), `order-${i}`, at],
      );
      await db.query(
        `INSERT INTO outbox (event_id, event_type, aggregate_id, aggregate_version, envelope, created_at, published_at)
         VALUES ($1, 'UserRegistered', $2, 1, '{}', $3, $3)`,
        [randomUUID(), `user-${i}`, at],
      );
    }
  }
  const rowsIn = async (table: string) =>
    (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`)).rows[0]!.count;

  it('prunes the inbox and published outbox rows on a schedule, so both stay bounded', async () => {
    const registry = createMetricsRegistry({ service: 'user-service', processMetrics: false });
    messaging.reportMetrics(registry);
    messaging.start({ OrderPlaced: async () => undefined });
    await clock.waitForTimer((timer) => timer.delayMs === DAY); // the first pass has run

    const largest = { inbox: 0, outbox: 0 };
    for (let day = 0; day < 30; day++) {
      await oneDayOfEvents();
      await clock.advance(DAY); // the daily pass starts…
      await clock.waitForTimer((timer) => timer.delayMs === DAY); // …and has finished once the next is scheduled
      largest.inbox = Math.max(largest.inbox, await rowsIn('inbox'));
      largest.outbox = Math.max(largest.outbox, await rowsIn('outbox'));
    }
    // 30 days written; kept: the retention period plus the day written since the last pass.
    expect(largest.inbox).toBeLessThanOrEqual((14 + 1) * perDay);
    expect(largest.outbox).toBeLessThanOrEqual((7 + 1) * perDay);
    expect(await rowsIn('inbox')).toBeGreaterThanOrEqual(14 * perDay);

    const scraped = await registry.metrics();
    expect(scraped).toContain(`retained_table_rows{table="inbox",service="user-service"} ${await rowsIn('inbox')}`);
    expect(scraped).toContain(`retained_table_rows{table="outbox",service="user-service"} ${await rowsIn('outbox')}`);
    expect(scraped).toMatch(/retention_pruned_rows_total\{table="inbox",service="user-service"\} \d+/);
  }, 180_000);

  it('never prunes an outbox row that is still waiting to be published', async () => {
    await db.query(
      `INSERT INTO outbox (event_id, event_type, aggregate_id, aggregate_version, envelope, created_at)
       VALUES ($1, 'UserRegistered', 'user-1', 1, '{}', $2)`,
      [randomUUID(), new Date(clock.now() - 30 * DAY)],
    );
    expect(await messaging.retention.prune()).toEqual({ outbox: 0, inbox: 0 });
    expect(await rowsIn('outbox')).toBe(1);
  });
});
