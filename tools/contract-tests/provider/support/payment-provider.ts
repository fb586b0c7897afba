/** payment-service as its verification and the can-fail test run it: the real app, authentication on, and its states. */
import type { Queryable } from '@shop/db';
import { messagingMigrationsDir } from '@shop/messaging';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp } from '@shop/payment-service/dist/app';
import { migrationsDir } from '@shop/payment-service/dist/migrations';
import { CONTRACT_JWT_SECRET, Pacticipant, type StateHandler } from '../../src';
import { expectStatus } from './expect-status';
import { integerParam, stringParam } from './params';
import { providerDatabase, type ProviderDatabase } from './provider-database';
import { asService } from './service-caller';

export interface PaymentProvider {
  database: ProviderDatabase;
  app: ServiceApp;
  close(): Promise<void>;
}

export async function startPaymentProvider(): Promise<PaymentProvider> {
  const database = await providerDatabase(
    [messagingMigrationsDir, migrationsDir],
    ['payments', 'refunds', 'idempotency_keys'],
  );
  const app = await buildApp({ db: database.db, logger: false, authentication: { secret: CONTRACT_JWT_SECRET } });
  return {
    database,
    app,
    close: async () => {
      await app.close();
      await database.db.close();
    },
  };
}

export function paymentStates(app: ServiceApp, db: Queryable): Record<string, StateHandler> {
  return {
    // Charged through the API with the given key; the payment id is injected into the request and response. It is
    // read from the database, not the answer, so a provider whose answer breaks the contract still gets its state.
    'a payment captured with an idempotency key': async (params) => {
      const orderId = stringParam(params, 'orderId');
      const response = await app.inject({
        method: 'POST',
        url: '/payments',
        headers: { ...asService(Pacticipant.order), 'idempotency-key': stringParam(params, 'idempotencyKey') },
        payload: {
          orderId,
          customerId: stringParam(params, 'customerId'),
          amount: integerParam(params, 'amount'),
          currency: stringParam(params, 'currency'),
          paymentMethod: stringParam(params, 'paymentMethod'),
        },
      });
      expectStatus(response, 201);
      const { rows } = await db.query<{ id: string }>('SELECT id FROM payments WHERE order_id = $1', [orderId]);
      return { paymentId: rows[0]!.id };
    },
  };
}
