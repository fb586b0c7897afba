/**
 * The payment service as other packages' tests start it (`@shop/payment-service/testing`): the real app (simulated
 * provider unless given one) on a database the test owns, migrated here, so a test depends on this entry and not on
 * the service's internals.
 */
import { runMigrations } from '@shop/db';
import { messagingMigrationsDir } from '@shop/messaging';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp, type PaymentAppDeps } from './app';
import { migrationsDir } from './migrations';

export type { PaymentAppDeps };

export async function buildPaymentForTests(deps: PaymentAppDeps): Promise<ServiceApp> {
  await runMigrations(deps.db, [messagingMigrationsDir, migrationsDir]);
  return buildApp(deps);
}
