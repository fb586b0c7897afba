/** payment-service's provider states, shared by its verification and by the can-fail test on a broken variant. */
import type { Queryable } from '@shop/db';
import type { ServiceApp } from '@shop/service-kit';
import { Pacticipant, type StateHandler } from '../../src';
import { expectStatus } from './expect-status';
import { integerParam, stringParam } from './params';
import { asService } from './service-caller';

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
