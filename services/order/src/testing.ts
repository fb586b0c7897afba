/**
 * The order service as other packages' tests start it (`@shop/order-service/testing`): the real app (saga engine
 * included; the test starts its worker) on a database the test owns, migrated here; and the handlers its consumer
 * runs, for a test that wires messaging itself.
 */
import { runMigrations } from '@shop/db';
import { buildApp, type OrderApp, type OrderAppDeps } from './app';
import { migrations } from './migrations';

export { orderEventHandlers } from './events/order-event-handlers';
export type { OrderApp, OrderAppDeps };

export async function buildOrderForTests(deps: OrderAppDeps): Promise<OrderApp> {
  await runMigrations(deps.db, migrations);
  return buildApp(deps);
}
