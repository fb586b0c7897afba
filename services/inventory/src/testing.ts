/**
 * The inventory service as other packages' tests start it (`@shop/inventory-service/testing`): the real app on a
 * database the test owns, migrated here, so a test depends on this entry and not on the service's internals.
 */
import { runMigrations } from '@shop/db';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp, type InventoryAppDeps } from './app';
import { migrationDirs } from './migrations';

export type { InventoryAppDeps };

export async function buildInventoryForTests(deps: InventoryAppDeps): Promise<ServiceApp> {
  await runMigrations(deps.db, migrationDirs);
  return buildApp(deps);
}
