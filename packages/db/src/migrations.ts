/**
 * SQL migrations: `migrations/NNN_name.sql` files applied in order, each recorded in `schema_migrations`.
 *
 * All pending files run in one transaction that first takes a transaction-scoped advisory lock, so two processes
 * starting at once on the same Postgres database queue up instead of racing (the second finds nothing to do),
 * and a failing migration leaves nothing half-applied. Running it twice is a no-op.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

export async function runMigrations(db: Database, directory: string): Promise<MigrationResult> {
  const files = await listMigrationFiles(directory);
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
    for (const file of files) {
      if (done.has(file)) {
        result.alreadyApplied.push(file);
        continue;
      }
      await tx.exec(await readFile(join(directory, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
      result.applied.push(file);
    }
    return result;
  });
}
