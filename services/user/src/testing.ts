/**
 * The user service as other packages' tests start it (`@shop/user-service/testing`): the real app on a database the
 * test owns, migrated here, hashing at the cheap test cost unless told otherwise; and the order-history handlers its
 * consumer runs, for a test that wires messaging itself.
 */
import { runMigrations } from '@shop/db';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp, type UserAppDeps } from './app';
import { TEST_SCRYPT_COST } from './domain/password';
import { migrations } from './migrations';

export { orderHistoryHandlers } from './order-history/order-history';
export type { UserAppDeps };

export async function buildUserForTests(deps: UserAppDeps): Promise<ServiceApp> {
  await runMigrations(deps.db, migrations);
  return buildApp({ passwordCost: TEST_SCRYPT_COST, ...deps });
}
