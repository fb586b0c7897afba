/** payment-service verifies the pacts of its consumers (order-service) against its real app, authentication on. */
import type { ServiceApp } from '@shop/service-kit';
import { messagingMigrationsDir } from '@shop/messaging';
import { buildApp } from '@shop/payment-service/dist/app';
import { migrationsDir } from '@shop/payment-service/dist/migrations';
import { CONTRACT_JWT_SECRET, Pacticipant, providerPacts, verifyProvider } from '../src';
import { expectStatus } from './support/expect-status';
import { integerParam, stringParam } from './support/params';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';
import { asService } from './support/service-caller';

describe('payment-service', () => {
  let database: ProviderDatabase;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase([messagingMigrationsDir, migrationsDir], ['payments', 'refunds', 'idempotency_keys']);
    app = await buildApp({ db: database.db, logger: false, authentication: { secret: CONTRACT_JWT_SECRET } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  it.each(providerPacts(Pacticipant.payment).map((pact) => [pact.consumer, pact] as const))("honours %s's pact", async (_consumer, pact) => {
    await verifyProvider({
      pact,
      app,
      beforeEach: () => database.reset(),
      stateHandlers: {
        // Charged through the API with the given key; the payment id is injected into the request and response.
        'a payment captured with an idempotency key': async (params) => {
          const response = await app.inject({
            method: 'POST',
            url: '/payments',
            headers: { ...asService(Pacticipant.order), 'idempotency-key': stringParam(params, 'idempotencyKey') },
            payload: {
              orderId: stringParam(params, 'orderId'),
              customerId: stringParam(params, 'customerId'),
              amount: integerParam(params, 'amount'),
              currency: stringParam(params, 'currency'),
              paymentMethod: stringParam(params, 'paymentMethod'),
            },
          });
          return { paymentId: expectStatus(response, 201).json<{ id: string }>().id };
        },
      },
    });
  });
});
