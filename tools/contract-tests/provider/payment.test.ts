/** payment-service verifies the pacts of its consumers (order-service) against its real app, authentication on. */
import { Pacticipant, providerPacts, verifyProvider } from '../src';
import { paymentStates, startPaymentProvider, type PaymentProvider } from './support/payment-provider';

describe('payment-service', () => {
  let provider: PaymentProvider;

  beforeAll(async () => {
    provider = await startPaymentProvider();
  });
  afterAll(() => provider?.close());

  it.each(providerPacts(Pacticipant.payment).map((pact) => [pact.consumer, pact] as const))(
    "honours %s's pact",
    async (_consumer, pact) => {
      const { app, database } = provider;
      await verifyProvider({
        pact,
        app,
        beforeEach: () => database.reset(),
        stateHandlers: paymentStates(app, database.db),
      });
    },
  );
});
