/**
 * Databases for tests, on every engine this machine offers: PGlite always (in memory), and a real Postgres when
 * `TEST_DATABASE_URL` points at one (CI sets it when a server answers on 127.0.0.1:5432). Each Postgres test
 * database is created fresh with a unique name and dropped on close, so test files can run in parallel.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPgliteDatabase, openPostgresDatabase, type Database, type Engine, type Queryable } from '../index';

export interface TestDatabase extends Database {
  /** Connection URL for a real Postgres (undefined on PGlite); lets a test start a second process on the same DB. */
  readonly url?: string;
}

/** The engines to run database tests on, e.g. `describe.each(testEngines())('on %s', (engine) => …)`. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

type Describe = (name: string, body: () => void) => void;

/**
 * `describe` for what only a server shows — a second connection, another session's locks, a server that stops:
 * runs when `TEST_DATABASE_URL` points at a Postgres, skipped otherwise (PGlite is one connection in this process).
 * The reason is required and goes into the title, so a skipped block always says why:
 * `describeOnPostgres('migrations from two processes', 'two connections', …)` is reported as
 * "migrations from two processes (Postgres only: two connections)".
 */
export function describeOnPostgres(name: string, reason: string, body: () => void): void {
  const jest = (globalThis as { describe?: Describe & { skip: Describe } }).describe;
  if (!jest) throw new Error('describeOnPostgres is for test files (no describe in this process)');
  if (!reason.trim()) throw new Error(`describeOnPostgres('${name}'): say what PGlite lacks`);
  (testEngines().includes('postgres') ? jest : jest.skip)(`${name} (Postgres only: ${reason})`, body);
}

type It = (name: string, body: () => Promise<void>) => void;
const ENGINE_NAMES: Record<Engine, string> = { pglite: 'PGlite', postgres: 'Postgres' };

/**
 * `it` for one test of a suite that runs on every engine (`describe.each(testEngines())`) but shows something on one
 * engine only: runs on `only`, skipped on the others, the reason in its title either way —
 * `itOnEngine(engine, 'postgres', 'reads pg_stat_activity')('leaves no session idle', …)` is reported as
 * "leaves no session idle (Postgres only: reads pg_stat_activity)".
 */
export function itOnEngine(current: Engine, only: Engine, reason: string): It {
  const jest = (globalThis as { it?: It & { skip: It } }).it;
  if (!jest) throw new Error('itOnEngine is for test files (no it in this process)');
  if (!reason.trim()) throw new Error(`itOnEngine(${only}): say why the test needs ${ENGINE_NAMES[only]}`);
  return (name, body) => (current === only ? jest : jest.skip)(`${name} (${ENGINE_NAMES[only]} only: ${reason})`, body);
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') return leasePgliteDatabase();
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set: no Postgres to create a test database on');

  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = openPostgresDatabase({ url: adminUrl, maxConnections: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = withDatabaseName(adminUrl, name);
  const db = openPostgresDatabase({ url });
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh PGlite costs ~1 s of CPU even from the dump below (the WASM Postgres starts and restores the cluster) —
 * more than most tests themselves, and most test files open one per test. So a closed test database is not shut
 * down but wiped and kept for the next `createTestDatabase('pglite')` in the same test file: every schema is dropped,
 * `public` recreated, and `DISCARD ALL` resets the session (settings, temporary tables, advisory locks, prepared
 * statements). That takes ~30 ms, and the next test sees what a fresh database would show. The lease handed out is
 * closed for good on `close()`: its holder gets "PGlite is closed", exactly as from a closed PGlite, and cannot reach
 * the next holder's data. An idle PGlite keeps the process alive, so the idle ones are shut down after the test file
 * (jest gives every test file its own copy of this module, and so its own pool).
 */
const idlePglites: Database[] = [];

/**
 * Pooling needs a hook that shuts the idle ones down when the file is done. Outside jest, or imported from inside a
 * test (jest refuses hooks there), a released database is closed as usual. The hook may run before a later top-level
 * `afterAll` of the test file releases its database, so from then on releases close too.
 */
let pooling = (() => {
  const afterAll = (globalThis as { afterAll?: (fn: () => Promise<void>) => void }).afterAll;
  try {
    afterAll?.(async () => {
      pooling = false;
      await Promise.all(idlePglites.splice(0).map((database) => database.close()));
    });
    return afterAll !== undefined;
  } catch {
    return false;
  }
})();

const WIPE_CLUSTER = `
  DO $$
  DECLARE name text;
  BEGIN
    FOR name IN
      SELECT nspname FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
    LOOP
      EXECUTE format('DROP SCHEMA %I CASCADE', name);
    END LOOP;
  END $$;
  CREATE SCHEMA public;
`;

async function leasePgliteDatabase(): Promise<TestDatabase> {
  let database: Database | undefined;
  while (!database && idlePglites.length > 0) {
    const candidate = idlePglites.pop()!;
    try {
      await candidate.exec(WIPE_CLUSTER);
      await candidate.exec('DISCARD ALL'); // on its own: it cannot run inside the script's implicit transaction
      database = candidate;
    } catch {
      await candidate.close().catch(() => undefined); // not reusable (e.g. left mid-transaction): start afresh
    }
  }
  database ??= await openPgliteDatabase({ loadDataDir: await pgliteTemplate() });
  return leaseOf(database);
}

function leaseOf(database: Database): TestDatabase {
  let closed = false;
  // A pooled PGlite served earlier tests: this lease counts from zero, as a freshly opened database would.
  const before = database.counters();
  const open = (): Database => {
    if (closed) throw new Error('PGlite is closed');
    return database;
  };
  return {
    engine: 'pglite',
    query: async <R extends object>(sql: string, params?: readonly unknown[]) => open().query<R>(sql, params),
    exec: async (sql: string) => open().exec(sql),
    transaction: async <T>(work: (tx: Queryable) => Promise<T>) => open().transaction(work),
    ping: async () => open().ping(),
    counters: () => {
      const now = open().counters();
      return { roundTrips: now.roundTrips - before.roundTrips, transactions: now.transactions - before.transactions };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (pooling) idlePglites.push(database);
      else await database.close();
    },
  };
}

/**
 * initdb dominates a fresh PGlite's start-up (~2 s on a quiet small machine, 30 s on a loaded one — longer than a
 * hook's timeout); restoring a dump of an empty cluster takes a fraction of that. The dump is made once per PGlite
 * build and kept in the OS temp directory (written to a temporary name, then renamed: readers never see half a
 * file), so only the first test process on a machine pays for initdb; each process then reads it once.
 */
let template: Promise<Blob> | undefined;
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    // The resolved path names the installed PGlite version (pnpm's store path), so an upgrade gets a new template.
    const build = createHash('sha256').update(require.resolve('@electric-sql/pglite')).digest('hex').slice(0, 16);
    const file = join(tmpdir(), `shop-pglite-template-${build}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached && cached.length > 0) return new Blob([cached]);
    const empty = await PGlite.create();
    try {
      const dump = await empty.dumpDataDir('none');
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, file);
      return dump;
    } finally {
      await empty.close();
    }
  })();
  return template;
}
