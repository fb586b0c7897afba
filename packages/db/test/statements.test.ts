import { createTestDatabase, testEngines, testResources, type TestDatabase } from '../src/testing';
import { alongside, isUniqueViolation, runStatement, runStatements } from '../src';

describe('alongside', () => {
  it('numbers each part’s parameters after the ones before it', () => {
    const combined = alongside({ sql: 'INSERT INTO a (x, y) VALUES ($1, $2) RETURNING x', params: [1, 2] }, [
      { sql: 'UPDATE b SET y = $2 WHERE x = $1', params: [3, 4] },
      { sql: 'INSERT INTO c (x) VALUES ($1)', params: [5] },
    ]);
    expect(combined.sql).toBe(
      'WITH write_1 AS (UPDATE b SET y = $4 WHERE x = $3),\n' +
        'write_2 AS (INSERT INTO c (x) VALUES ($5))\n' +
        'INSERT INTO a (x, y) VALUES ($1, $2) RETURNING x',
    );
    expect(combined.params).toEqual([1, 2, 3, 4, 5]);
  });

  it('is the main statement itself when there is nothing alongside', () => {
    const main = { sql: 'SELECT 1', params: [] };
    expect(alongside(main, [])).toBe(main);
  });
});

describe.each(testEngines())('statements on %s', (engine) => {
  let db: TestDatabase;
  const resources = testResources();
  beforeEach(() =>
    resources.setup(async (track) => {
      db = await track(createTestDatabase(engine));
      await db.exec(`CREATE TABLE events (id integer PRIMARY KEY, name text NOT NULL);
                     CREATE TABLE outbox (id integer PRIMARY KEY, name text NOT NULL);
                     CREATE TABLE counts (name text PRIMARY KEY, n integer NOT NULL);
                     INSERT INTO counts VALUES ('placed', 0);`);
    }),
  );

  const insertEvent = (id: number) => ({
    sql: 'INSERT INTO events (id, name) VALUES ($1, $2) RETURNING id, name',
    params: [id, 'placed'],
  });
  const writesFor = (id: number) => [
    { sql: 'INSERT INTO outbox (id, name) VALUES ($1, $2)', params: [id, 'placed'] },
    { sql: 'UPDATE counts SET n = n + $1 WHERE name = $2', params: [1, 'placed'] },
  ];

  it('runs every write in one round trip and answers with the main statement’s rows', async () => {
    const before = db.counters().roundTrips;
    const { rows } = await runStatement(db, alongside(insertEvent(1), writesFor(1)));
    expect(db.counters().roundTrips - before).toBe(1);
    expect(rows).toEqual([{ id: 1, name: 'placed' }]);
    expect((await db.query('SELECT id FROM outbox')).rows).toEqual([{ id: 1 }]);
    expect((await db.query('SELECT n FROM counts')).rows).toEqual([{ n: 1 }]);
  });

  it('takes a main statement without RETURNING too', async () => {
    const event = { sql: 'INSERT INTO events (id, name) VALUES ($1, $2)', params: [3, 'placed'] };
    expect((await runStatement(db, alongside(event, writesFor(3)))).rowCount).toBe(1);
    expect((await db.query('SELECT id FROM outbox')).rows).toEqual([{ id: 3 }]);
  });

  it('writes nothing when any part fails: one statement is atomic', async () => {
    await runStatements(db, [{ sql: 'INSERT INTO outbox (id, name) VALUES ($1, $2)', params: [2, 'taken'] }]);
    const failed = await runStatement(db, alongside(insertEvent(2), writesFor(2))).catch((error: unknown) => error);
    expect(isUniqueViolation(failed, 'outbox_pkey')).toBe(true);
    expect((await db.query('SELECT id FROM events')).rows).toEqual([]);
    expect((await db.query('SELECT n FROM counts')).rows).toEqual([{ n: 0 }]);
  });
});
