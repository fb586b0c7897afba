/**
 * The order service as other packages' tests start it (`@shop/order-service/testing`): the real app (saga engine
 * included; the test starts its worker) on a database the test owns, migrated here; and the handlers its consumer
 * runs, for a test that wires messaging itself.
 */
import { runMigrations } from '@shop/db';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp, type OrderAppDeps } from './app';
import { migrationDirs } from './migrations';

export { orderEventHandlers } from './events/order-event-handlers';
export type { OrderAppDeps };

export async function buildOrderForTests(deps: OrderAppDeps): Promise<ServiceApp> {
  await runMigrations(deps.db, migrationDirs);
  return buildApp(deps);
}
