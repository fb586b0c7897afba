import { join } from 'node:path';
import { messagingMigrationsDir } from '@shop/messaging';

/** The service's SQL migrations, shipped next to the compiled code (dist/ → ../migrations). */
export const migrationsDir = join(__dirname, '..', 'migrations');

/** Every directory the service's database is migrated from, in order: its own tables, then the outbox. */
export const migrations = [migrationsDir, messagingMigrationsDir];
