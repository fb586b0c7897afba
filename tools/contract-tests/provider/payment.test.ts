/** payment-service verifies the pacts of its consumers (order-service) against its real app, authentication on. */
import type { ServiceApp } from '@shop/service-kit';
import { messagingMigrationsDir } from '@shop/messaging';
import { buildApp } from '@shop/payment-service/dist/app';
import { migrationsDir } from '@shop/payment-service/dist/migrations';
import { CONTRACT_JWT_SECRET, Pacticipant, providerPacts, verifyProvider } from '../src';
import { paymentStates } from './support/payment-states';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';

describe('payment-service', () => {
  let database: ProviderDatabase;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase(
      [messagingMigrationsDir, migrationsDir],
      ['payments', 'refunds', 'idempotency_keys'],
    );
    app = await buildApp({ db: database.db, logger: false, authentication: { secret: CONTRACT_JWT_SECRET } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  it.each(providerPacts(Pacticipant.payment).map((pact) => [pact.consumer, pact] as const))(
    "honours %s's pact",
    async (_consumer, pact) => {
      await verifyProvider({
        pact,
        app,
        beforeEach: () => database.reset(),
        stateHandlers: paymentStates(app, database.db),
      });
    },
  );
});
