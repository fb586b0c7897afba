/**
 * classifyDatabaseError on errors both engines really throw: the request's data (SQLSTATE 22 and 23) on one side,
 * a database that cannot be reached on the other, and everything else left alone.
 */
import { join } from 'node:path';
import { classifyDatabaseError, openPostgresDatabase, runMigrations, type Database } from '../src';
import {
  createTestDatabase,
  startPostgresRelay,
  describeOnPostgres,
  testEngines,
  type TestDatabase,
} from '../src/testing';

const migrations = join(__dirname, 'fixtures/migrations');

async function failureOf(work: () => Promise<unknown>) {
  try {
    await work();
  } catch (error) {
    return classifyDatabaseError(error);
  }
  throw new Error('expected the database to refuse');
}

describe.each(testEngines())('classifyDatabaseError on %s', (engine) => {
  let db: TestDatabase;
  // One database for the block: every test here only reads, or writes rows no other test looks at.
  beforeAll(async () => {
    db = await createTestDatabase(engine);
    await runMigrations(db, migrations);
  });
  afterAll(() => db?.close());

  const insert = (name: unknown) => db.query('INSERT INTO widgets (name) VALUES ($1)', [name]);

  it('calls a value the column cannot hold invalid data (class 22)', async () => {
    expect(await failureOf(() => insert('nul\u0000inside'))).toBe('invalid-data');
    expect(await failureOf(() => db.query('SELECT $1::int', ['three']))).toBe('invalid-data');
    expect(await failureOf(() => db.query('SELECT $1::uuid', ['not-a-uuid']))).toBe('invalid-data');
    expect(await failureOf(() => db.query('SELECT $1::jsonb', ['{"a":"\\u0000"}']))).toBe('invalid-data');
  });

  it('calls a violated constraint conflicting data (class 23)', async () => {
    await insert('sprocket');
    expect(await failureOf(() => insert('sprocket'))).toBe('conflicting-data');
    expect(await failureOf(() => insert(null))).toBe('conflicting-data');
  });

  it('leaves other errors (bugs in our SQL) unclassified', async () => {
    expect(await failureOf(() => db.query('SELECT * FROM no_such_table'))).toBeUndefined();
    expect(await failureOf(() => db.query('SELEC 1'))).toBeUndefined();
  });

  it('calls a closed database unavailable', async () => {
    const closed: Database = await createTestDatabase(engine);
    await closed.close();
    expect(await failureOf(() => closed.query('SELECT 1'))).toBe('unavailable');
    expect(await failureOf(() => closed.transaction((tx) => tx.query('SELECT 1')))).toBe('unavailable');
  });
});

describe('classifyDatabaseError when Postgres cannot be reached', () => {
  it('calls a refused connection unavailable (a server that is not running)', async () => {
    const relay = await startPostgresRelay('postgres://postgres@127.0.0.1:5432/postgres');
    await relay.stop();
    const db = openPostgresDatabase({ url: relay.url, maxConnections: 1 });
    try {
      expect(await failureOf(() => db.query('SELECT 1'))).toBe('unavailable');
    } finally {
      await db.close();
    }
  });

  it('recognises the signs drivers and servers give, and nothing else', () => {
    const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(classifyDatabaseError(coded('08006'))).toBe('unavailable'); // connection failure
    expect(classifyDatabaseError(coded('53300'))).toBe('unavailable'); // too many connections
    expect(classifyDatabaseError(coded('57P01'))).toBe('unavailable'); // terminating: administrator command
    expect(classifyDatabaseError(coded('ENOTFOUND', 'getaddrinfo ENOTFOUND db'))).toBe('unavailable');
    expect(classifyDatabaseError(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(classifyDatabaseError(coded('40001'))).toBeUndefined(); // serialization failure: the code retries it
    expect(classifyDatabaseError(coded('42601'))).toBeUndefined(); // syntax error: our bug
    expect(classifyDatabaseError(new Error('anything else'))).toBeUndefined();
    expect(classifyDatabaseError(undefined)).toBeUndefined();
  });
});

/** Polls the server's own view until the statement is executing (each poll is a round trip, not a sleep). */
async function untilServerRuns(server: Database, statement: string): Promise<void> {
  for (let poll = 0; poll < 1_000; poll++) {
    const { rows } = await server.query("SELECT 1 FROM pg_stat_activity WHERE query = $1 AND state = 'active'", [
      statement,
    ]);
    if (rows.length > 0) return;
  }
  throw new Error(`the server never ran: ${statement}`);
}

describeOnPostgres('classifyDatabaseError when a running Postgres stops', 'a server to stop', () => {
  it('calls both the cut connection and the refused reconnection unavailable', async () => {
    const server = await createTestDatabase('postgres');
    const relay = await startPostgresRelay(server.url!);
    const db = openPostgresDatabase({ url: relay.url, maxConnections: 1 });
    try {
      await db.query('SELECT 1');
      // A query in flight when the server goes away, then one that finds nothing listening.
      const inFlight = failureOf(() => db.query('SELECT pg_sleep(30)'));
      await untilServerRuns(server, 'SELECT pg_sleep(30)');
      await relay.stop();
      expect(await inFlight).toBe('unavailable');
      expect(await failureOf(() => db.query('SELECT 1'))).toBe('unavailable');
    } finally {
      await db.close();
      await relay.stop();
      await server.close();
    }
  });
});
