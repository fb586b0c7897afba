import { join } from 'node:path';
import { eventStoreMigrationsDir } from '@shop/event-store';
import { messagingMigrationsDir } from '@shop/messaging';
import { sagaMigrationsDir } from '@shop/saga';

/** The service's SQL migrations, shipped next to the compiled code (dist/ → ../migrations). */
export const migrationsDir = join(__dirname, '..', 'migrations');

/**
 * Everything the order database holds: the event log, saga state and the outbox/inbox, then the service's own
 * tables (read model, attention list, idempotency keys). One database, so a saga step, the order's events and their outbox
 * rows commit in one transaction.
 */
export const migrations = [eventStoreMigrationsDir, sagaMigrationsDir, messagingMigrationsDir, migrationsDir];
