/**
 * The shipping service as other packages' tests start it (`@shop/shipping-service/testing`): the real app on a
 * database the test owns, migrated here, and the dispatcher, so a test moves shipments along when it says so.
 */
import type { ServiceApp } from '@shop/service-kit';
import { buildApp, type ShippingAppDeps } from './app';
import { migrateShippingDatabase } from './migrations';

export { Dispatcher } from './dispatcher';
export type { ShippingAppDeps };

export async function buildShippingForTests(deps: ShippingAppDeps): Promise<ServiceApp> {
  await migrateShippingDatabase(deps.db);
  return buildApp(deps);
}
