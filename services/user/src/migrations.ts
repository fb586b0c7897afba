import { join } from 'node:path';
import { messagingMigrationsDir } from '@shop/messaging';

/** The service's own SQL migrations (dist/ → ../migrations), then the outbox and inbox tables of @shop/messaging. */
export const migrations = [join(__dirname, '..', 'migrations'), messagingMigrationsDir];
