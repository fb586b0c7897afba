import { join } from 'node:path';
import { messagingMigrationsDir } from '@shop/messaging';

/** The service's SQL migrations, shipped next to the compiled code (dist/ → ../migrations). */
export const migrationsDir = join(__dirname, '..', 'migrations');

/** Everything this service's database needs, in order: the outbox (from @shop/messaging), then its own tables. */
export const migrations = [messagingMigrationsDir, migrationsDir];
