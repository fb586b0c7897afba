/**
 * SQL migrations: `migrations/NNN_name.sql` files applied in order, each recorded in `schema_migrations`.
 * One database can take migrations from several directories (the service's own, the outbox tables of
 * @shop/messaging, the saga tables…): each is recorded under a namespace — by default the name of the package that
 * holds the `migrations/` directory — so two packages' `001_init.sql` never collide.
 *
 * All pending files run in one transaction that first takes a transaction-scoped advisory lock, so two processes
 * starting at once on the same Postgres database queue up instead of racing (the second finds nothing to do),
 * and a failing migration leaves nothing half-applied. Running it twice is a no-op.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Database } from './database';

/** Arbitrary constant: the advisory lock key that serialises migrators of one database. */
const MIGRATION_LOCK_KEY = 7_240_117;
const MIGRATION_FILE = /^(\d+)_[\w-]+\.sql$/;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export async function listMigrationFiles(directory: string): Promise<string[]> {
  const names = (await readdir(directory)).filter((name) => MIGRATION_FILE.test(name));
  return names.sort((a, b) => Number(MIGRATION_FILE.exec(a)![1]) - Number(MIGRATION_FILE.exec(b)![1]));
}

export interface MigrationSource {
  directory: string;
  /** Recorded before each file name; defaults to the directory's parent folder name (the package). */
  namespace?: string;
}

export async function runMigrations(
  db: Database,
  sources: string | MigrationSource | (string | MigrationSource)[],
): Promise<MigrationResult> {
  const list = (Array.isArray(sources) ? sources : [sources]).map((source) =>
    typeof source === 'string' ? { directory: source } : source,
  );
  const files: { version: string; path: string }[] = [];
  for (const { directory, namespace = basename(dirname(directory)) } of list) {
    for (const file of await listMigrationFiles(directory)) {
      files.push({ version: `${namespace}/${file}`, path: join(directory, file) });
    }
  }
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version),
    );
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const { version, path } of files) {
      if (done.has(version)) {
        result.alreadyApplied.push(version);
        continue;
      }
      await tx.exec(await readFile(path, 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      result.applied.push(version);
    }
    return result;
  });
}
