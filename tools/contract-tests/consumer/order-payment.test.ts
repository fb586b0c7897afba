/**
 * order-service → payment-service: the saga's pivot (charge, with the step's Idempotency-Key) through the order
 * service's participant client. A decline is a refusal the saga compensates; a repeat with the same key must return
 * the first payment, never charge twice.
 *
 * The refund is not made by the saga today (payment is its pivot: nothing after it is compensated). It is pinned
 * here through the same resilient client because the order service is the refund's only caller by design (see the
 * README): drop the interaction if that design changes, so payment is free to change the endpoint.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { PACT_DIR, Pacticipant } from '../src';
import {
  anyIdempotencyKey,
  JSON_CONTENT,
  PROBLEM_CONTENT,
  problemOfType,
  serviceAuthorization,
} from './support/matchers';
import { orderParticipants, stepCall } from './support/order-participants';

const { fromProviderState, integer, uuid } = MatchersV3;

const pact = new PactV4({
  consumer: Pacticipant.order,
  provider: Pacticipant.payment,
  dir: PACT_DIR,
  logLevel: 'error',
});

const PAYMENT_ID = '0190a0a0-0000-7000-8000-0000000000a1';
const total = { amountMinor: 2500, currency: 'EUR' };
const charge = (orderId: string, paymentMethod: string) => ({
  orderId,
  customerId: 'customer-1',
  total,
  paymentMethod,
});
const chargeBody = (orderId: string, paymentMethod: string) => ({
  orderId,
  customerId: 'customer-1',
  amount: 2500,
  currency: 'EUR',
  paymentMethod,
});
const authorization = serviceAuthorization(Pacticipant.order);

describe('order-service → payment-service', () => {
  it('captures the order total', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a charge of an order total with a card that pays')
      .withRequest('POST', '/payments', (request) =>
        request
          .headers({ authorization, 'idempotency-key': anyIdempotencyKey('order-1:processPayment') })
          .jsonBody(chargeBody('order-1', 'tok_visa')),
      )
      .willRespondWith(201, (response) => response.headers(JSON_CONTENT).jsonBody({ id: uuid(PAYMENT_ID) }))
      .executeTest(async (server) => {
        const paid = await orderParticipants(server.url).chargePayment(
          charge('order-1', 'tok_visa'),
          stepCall('order-1:processPayment'),
        );
        expect(paid).toEqual({ paymentId: PAYMENT_ID });
      });
  });

  it('is refused when the card is declined: the saga compensates', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a charge with a card that is declined')
      .withRequest('POST', '/payments', (request) =>
        request
          .headers({ authorization, 'idempotency-key': anyIdempotencyKey('order-2:processPayment') })
          .jsonBody(chargeBody('order-2', 'tok_declined')),
      )
      .willRespondWith(402, (response) => response.headers(PROBLEM_CONTENT).jsonBody(problemOfType('payment-declined')))
      .executeTest(async (server) => {
        const charging = orderParticipants(server.url).chargePayment(
          charge('order-2', 'tok_declined'),
          stepCall('order-2:processPayment'),
        );
        await expect(charging).rejects.toMatchObject({ name: 'ParticipantRefusedError', status: 402 });
      });
  });

  it('answers a repeated charge (same Idempotency-Key) with the first payment', async () => {
    await pact
      .addInteraction()
      .given('a payment captured with an idempotency key', {
        ...chargeBody('order-3', 'tok_visa'),
        idempotencyKey: 'order-3:processPayment',
      })
      .uponReceiving('a repeat of a charge that was already captured')
      .withRequest('POST', '/payments', (request) =>
        request
          .headers({ authorization, 'idempotency-key': 'order-3:processPayment' })
          .jsonBody(chargeBody('order-3', 'tok_visa')),
      )
      .willRespondWith(201, (response) =>
        response.headers(JSON_CONTENT).jsonBody({ id: fromProviderState('${paymentId}', PAYMENT_ID) }),
      )
      .executeTest(async (server) => {
        const paid = await orderParticipants(server.url).chargePayment(
          charge('order-3', 'tok_visa'),
          stepCall('order-3:processPayment'),
        );
        expect(paid).toEqual({ paymentId: PAYMENT_ID });
      });
  });

  it('refunds a captured payment', async () => {
    await pact
      .addInteraction()
      .given('a payment captured with an idempotency key', {
        ...chargeBody('order-4', 'tok_visa'),
        idempotencyKey: 'order-4:processPayment',
      })
      .uponReceiving('a refund of a captured payment')
      .withRequest(
        'POST',
        fromProviderState('/payments/${paymentId}/refunds', `/payments/${PAYMENT_ID}/refunds`),
        (request) => request.headers({ authorization }).jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(201, (response) =>
        response.headers(JSON_CONTENT).jsonBody({
          id: uuid('0190a0a0-0000-7000-8000-0000000000b1'),
          paymentId: fromProviderState('${paymentId}', PAYMENT_ID),
          amount: integer(2500),
        }),
      )
      .executeTest(async (server) => {
        const { clients } = orderParticipants(server.url);
        const refund = await clients.payment.post<{ paymentId: string; amount: number }>(
          `/payments/${PAYMENT_ID}/refunds`,
          { reason: 'order cancelled' },
        );
        expect(refund).toMatchObject({ paymentId: PAYMENT_ID, amount: 2500 });
      });
  });
});
