/** payment-service verifies the pacts of its consumers (order-service) against its real app, authentication on. */
import { Pacticipant } from '../src';
import { itHonoursEveryPact } from './support/honours-every-pact';
import { paymentStates, startPaymentProvider, type PaymentProvider } from './support/payment-provider';

describe('payment-service', () => {
  let provider: PaymentProvider;

  beforeAll(async () => {
    provider = await startPaymentProvider();
  });
  afterAll(() => provider?.close());

  itHonoursEveryPact(Pacticipant.payment, () => {
    const { app, database } = provider;
    return {
      app,
      beforeEach: () => database.reset(),
      stateHandlers: paymentStates(app, database.db),
    };
  });
});
