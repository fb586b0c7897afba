/**
 * The safety net has to be able to catch something: the real payment app, with one field of its charge answer
 * renamed (`id` → `paymentId`), must fail order-service's pact. (The verifier prints its failure report for this
 * test; that report is the expected outcome.)
 */
import type { ServiceApp } from '@shop/service-kit';
import { messagingMigrationsDir } from '@shop/messaging';
import { buildApp } from '@shop/payment-service/dist/app';
import { migrationsDir } from '@shop/payment-service/dist/migrations';
import { CONTRACT_JWT_SECRET, Pacticipant, providerPacts, verifyProvider } from '../src';
import { renameResponseField } from './support/breaking-change';
import { paymentStates } from './support/payment-states';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';

describe('a provider that breaks its contract', () => {
  let database: ProviderDatabase;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase(
      [messagingMigrationsDir, migrationsDir],
      ['payments', 'refunds', 'idempotency_keys'],
    );
    app = await buildApp({ db: database.db, logger: false, authentication: { secret: CONTRACT_JWT_SECRET } });
    renameResponseField(app, { method: 'POST', route: '/payments', from: 'id', to: 'paymentId' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  it('fails verification when payment-service renames the id order-service reads', async () => {
    const [pact] = providerPacts(Pacticipant.payment).filter((candidate) => candidate.consumer === Pacticipant.order);
    const verifying = verifyProvider({
      pact: pact!,
      app,
      beforeEach: () => database.reset(),
      stateHandlers: paymentStates(app, database.db),
    });
    const failure = await verifying.then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    // Exactly the interactions whose answer lost `id` fail, and for that reason: the rest of the app is intact.
    const report = JSON.parse(failure!.message) as { interactionResults: { description: string; result: string }[] };
    const failed = report.interactionResults.filter((interaction) => interaction.result !== 'OK');
    expect(failed.map((interaction) => interaction.description).sort()).toEqual([
      'a charge of an order total with a card that pays',
      'a repeat of a charge that was already captured',
    ]);
    expect(failure!.message).toContain('missing the following keys: id');
  });
});
