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
import { openPgliteDatabase, openPostgresDatabase, type Database, type Engine } from '../index';

export interface TestDatabase extends Database {
  /** Connection URL for a real Postgres (undefined on PGlite); lets a test start a second process on the same DB. */
  readonly url?: string;
}

/** The engines to run database tests on, e.g. `describe.each(testEngines())('on %s', (engine) => …)`. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') return openPgliteDatabase({ loadDataDir: await pgliteTemplate() });
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
