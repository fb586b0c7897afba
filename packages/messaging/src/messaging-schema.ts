// The outbox and inbox tables, as a migrations directory that composes with a service's own (`runMigrations`).
import { join } from 'node:path';
import { runMigrations, type Database, type MigrationResult } from '@shop/db';

/** `packages/messaging/migrations`, shipped with the package. */
export const messagingMigrationsDir = join(__dirname, '..', 'migrations');

/** Creates the `outbox` and `inbox` tables (idempotent). Equivalent to `runMigrations(db, messagingMigrationsDir)`. */
export function installMessagingSchema(db: Database): Promise<MigrationResult> {
  return runMigrations(db, messagingMigrationsDir);
}
