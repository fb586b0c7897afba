/**
 * The safety net has to be able to catch something: the real payment app, with one field of its charge answer
 * renamed (`id` → `paymentId`), must fail order-service's pact. (The verifier prints its failure report for this
 * test; that report is the expected outcome.)
 */
import { Pacticipant, providerPacts, verifyProvider } from '../src';
import { renameResponseField } from './support/breaking-change';
import { paymentStates, startPaymentProvider, type PaymentProvider } from './support/payment-provider';

describe('a provider that breaks its contract', () => {
  let provider: PaymentProvider;

  beforeAll(async () => {
    provider = await startPaymentProvider();
    renameResponseField(provider.app, { method: 'POST', route: '/payments', from: 'id', to: 'paymentId' });
  });
  afterAll(() => provider?.close());

  it('fails verification when payment-service renames the id order-service reads', async () => {
    const [pact] = providerPacts(Pacticipant.payment).filter((candidate) => candidate.consumer === Pacticipant.order);
    const { app, database } = provider;
    const verifying = verifyProvider({
      pact: pact!,
      app,
      beforeEach: () => database.reset(),
      stateHandlers: paymentStates(app, database.db),
      source: 'local', // a broken provider's result must never reach a Pact Broker
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
