import { join } from 'node:path';
import { runMigrations, type Database } from '@shop/db';
import { messagingMigrationsDir } from '@shop/messaging';

/** The service's SQL migrations, shipped next to the compiled code (dist/ → ../migrations). */
export const migrationsDir = join(__dirname, '..', 'migrations');

/** Everything this service's database needs: the outbox (from @shop/messaging), then its own tables. */
export async function migrateShippingDatabase(db: Database): Promise<string[]> {
  const applied: string[] = [];
  for (const directory of [messagingMigrationsDir, migrationsDir]) {
    applied.push(...(await runMigrations(db, directory)).applied);
  }
  return applied;
}
