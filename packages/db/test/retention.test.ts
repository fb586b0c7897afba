/**
 * Retention on a fake clock: days of traffic are simulated in milliseconds, and the pruned table stays bounded by
 * (write rate × retention) however long the system runs — the failure it prevents is a table that grows forever.
 */
import { FakeClock } from '@shop/clock';
import { createRetentionJob, type RetentionJob } from '../src';
import { createTestDatabase, testEngines, testResources, type TestDatabase } from '../src/testing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testEngines())('retention on %s', (engine) => {
  let db: TestDatabase;
  let clock: FakeClock;
  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase(engine));
      await db.exec(`
        CREATE TABLE handled (id bigserial PRIMARY KEY, handled_at timestamptz NOT NULL);
        CREATE TABLE published (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL, published_at timestamptz);`);
      clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    }),
  );

  const insertHandled = (count: number) =>
    db.query('INSERT INTO handled (handled_at) SELECT $1 FROM generate_series(1, $2)', [new Date(clock.now()), count]);
  const countOf = async (table: string) =>
    (await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`)).rows[0]!.count;

  it('keeps a table bounded over 20 simulated days of steady writes', async () => {
    const interval = 6 * HOUR;
    const perInterval = 25;
    const pruned: number[] = [];
    const job: RetentionJob = await resources.setup((track) =>
      track(
        createRetentionJob({
          db,
          clock,
          intervalMs: interval,
          batchSize: 7, // small, so one pass needs several batches
          rules: [{ table: 'handled', timestampColumn: 'handled_at', retentionMs: 2 * DAY }],
          onPruned: (_table, rows) => pruned.push(rows),
        }),
        (started) => started.stop(),
      ),
    );
    job.start(); // a pass at once…
    await clock.waitForTimer(); // …finished once the next one is scheduled
    let largest = 0;
    for (let tick = 0; tick < (20 * DAY) / interval; tick++) {
      await insertHandled(perInterval);
      await clock.advance(interval); // the scheduled pass starts
      await clock.waitForTimer(); // and has finished
      largest = Math.max(largest, await countOf('handled'));
    }
    // Two days of rows, plus the interval written since the last pass: never the 20 days written in all.
    const bound = ((2 * DAY) / interval + 1) * perInterval;
    expect(largest).toBeLessThanOrEqual(bound);
    expect(await countOf('handled')).toBeGreaterThanOrEqual(bound - 2 * perInterval);
    expect(pruned.reduce((sum, rows) => sum + rows, 0)).toBeGreaterThanOrEqual(17 * 4 * perInterval);
    expect(await job.rowCounts()).toEqual([{ table: 'handled', rows: await countOf('handled') }]);
  }, 120_000);

  it('prunes only rows matching the rule condition, older than the retention period', async () => {
    const now = clock.now();
    await db.query(`INSERT INTO published (created_at, published_at) VALUES ($1, $1), ($1, NULL), ($2, $2)`, [
      new Date(now - 3 * DAY),
      new Date(now - HOUR),
    ]);
    const job = createRetentionJob({
      db,
      clock,
      rules: [
        { table: 'published', timestampColumn: 'created_at', retentionMs: DAY, where: 'published_at IS NOT NULL' },
      ],
    });
    expect(await job.prune()).toEqual({ published: 1 });
    const { rows } = await db.query<{ published_at: Date | null }>('SELECT published_at FROM published ORDER BY id');
    expect(rows.map((row) => row.published_at === null)).toEqual([true, false]); // unpublished old row stays
  });

  it('refuses a rule whose table or column is not a plain identifier', () => {
    expect(() =>
      createRetentionJob({ db, rules: [{ table: 'inbox; DROP TABLE x', timestampColumn: 'at', retentionMs: 1 }] }),
    ).toThrow('not a plain SQL identifier');
  });
});
