/** inventory-service verifies the pacts of its consumers (order-service) against its real app on a real port. */
import type { ServiceApp } from '@shop/service-kit';
import { buildApp } from '@shop/inventory-service/dist/app';
import { migrationDirs } from '@shop/inventory-service/dist/migrations';
import { CONTRACT_JWT_SECRET, Pacticipant } from '../src';
import { itHonoursEveryPact } from './support/honours-every-pact';
import { expectStatus } from './support/expect-status';
import { integerParam, stringParam } from './support/params';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';
import { asService } from './support/service-caller';

describe('inventory-service', () => {
  let database: ProviderDatabase;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase(migrationDirs, ['products', 'reservations', 'reservation_lines']);
    app = await buildApp({ db: database.db, logger: false, authentication: { secret: CONTRACT_JWT_SECRET } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  const putProduct = async (sku: string, stock: number, amountMinor = 1250, currency = 'EUR') =>
    expectStatus(
      await app.inject({
        method: 'PUT',
        url: `/products/${sku}`,
        headers: asService('catalogue-admin'),
        payload: { name: `Product ${sku}`, price: { amountMinor, currency }, stock },
      }),
      200,
      201,
    );

  itHonoursEveryPact(Pacticipant.inventory, () => ({
    app,
    beforeEach: () => database.reset(),
    stateHandlers: {
      'a product with stock': async (params) => {
        await putProduct(
          stringParam(params, 'sku'),
          integerParam(params, 'stock'),
          integerParam(params, 'unitPriceMinor'),
          stringParam(params, 'currency'),
        );
      },
      'an order with reserved stock': async (params) => {
        const sku = stringParam(params, 'sku');
        const quantity = integerParam(params, 'quantity');
        await putProduct(sku, quantity + 10);
        expectStatus(
          await app.inject({
            method: 'POST',
            url: '/reservations',
            headers: asService('order-service'),
            payload: { orderId: stringParam(params, 'orderId'), items: [{ sku, quantity }] },
          }),
          201,
        );
      },
      // Nothing to write: `beforeEach` left inventory without any reservation.
      'an order with no reservation': async () => {},
    },
  }));
});
