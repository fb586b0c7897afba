/** One inventory app on a fresh, migrated test database, plus shortcuts for the requests tests make. */
import { runMigrations } from '@shop/db';
import { trustEveryCallerForTests, type ServiceApp } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import type { Engine } from '@shop/db';
import { buildApp, type InventoryAppDeps } from '../src/app';
import { migrationDirs } from '../src/migrations';

export interface InventoryFixture {
  db: TestDatabase;
  app: ServiceApp;
  close(): Promise<void>;
}

export async function startInventory(engine: Engine, deps: Partial<InventoryAppDeps> = {}): Promise<InventoryFixture> {
  const db = await createTestDatabase(engine);
  for (const dir of migrationDirs) await runMigrations(db, dir);
  const app = await buildApp({ db, logger: false, authentication: trustEveryCallerForTests(), ...deps });
  return {
    db,
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** What `app.inject()` resolves to, named through ServiceApp so declarations need no transitive package. */
export type InjectResponse = Awaited<ReturnType<ServiceApp['inject']>>;

export const eur = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });

export async function addProduct(
  app: ServiceApp,
  sku: string,
  stock: number,
  amountMinor = 1000,
  currency = 'EUR',
): Promise<InjectResponse> {
  return app.inject({
    method: 'PUT',
    url: `/products/${sku}`,
    payload: { name: `Product ${sku}`, price: { amountMinor, currency }, stock },
  });
}

export async function reserve(
  app: ServiceApp,
  orderId: string,
  items: { sku: string; quantity: number }[],
): Promise<InjectResponse> {
  return app.inject({ method: 'POST', url: '/reservations', payload: { orderId, items } });
}

export async function release(app: ServiceApp, orderId: string, body?: object): Promise<InjectResponse> {
  return app.inject({ method: 'POST', url: `/reservations/${orderId}/release`, ...(body ? { payload: body } : {}) });
}

export async function commit(app: ServiceApp, orderId: string): Promise<InjectResponse> {
  return app.inject({ method: 'POST', url: `/reservations/${orderId}/commit` });
}

export async function stockOf(app: ServiceApp, sku: string): Promise<{ stock: number; reserved: number }> {
  const { stock, reserved } = (await app.inject(`/products/${sku}`)).json();
  return { stock, reserved };
}

/** Every error must be problem+json with a stable type ending in `slug`. */
export function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): { type?: unknown; status?: unknown } },
  status: number,
  slug: string,
): void {
  expect({ status: response.statusCode, type: response.json().type }).toEqual({
    status,
    type: `https://resilient-shop.dev/problems/${slug}`,
  });
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json().status).toBe(status);
}
