/**
 * A provider's own database for its verification: a fresh in-memory PGlite with the service's migrations. Provider
 * states write into it through the service's API (or its own code); `reset` empties it between interactions so each
 * one sees only the state it asked for.
 */
import { runMigrations } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/testing';

export interface ProviderDatabase {
  db: TestDatabase;
  /** Empties the given tables (and the outbox), restarting their sequences. */
  reset(): Promise<void>;
}

export async function providerDatabase(
  migrationDirs: readonly string[],
  tables: readonly string[],
): Promise<ProviderDatabase> {
  const db = await createTestDatabase('pglite');
  for (const dir of migrationDirs) await runMigrations(db, dir);
  return {
    db,
    reset: () => db.exec(`TRUNCATE ${[...tables, 'outbox', 'inbox'].join(', ')} RESTART IDENTITY CASCADE`),
  };
}
