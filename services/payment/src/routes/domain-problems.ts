/** The payment service's domain refusals as problem+json; the retriable ones say when to retry. */
import { HttpProblem, notFound, problemFor } from '@shop/service-kit';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../idempotency/idempotency-keys';
import { OrderAlreadyPaidError } from '../payment-store';
import { PaymentNotFoundError, PaymentNotRefundableError } from '../payments';
import { PaymentProviderUnavailableError } from '../provider/payment-provider';

const RETRY_AFTER = { 'retry-after': '1' };

export const paymentProblems = [
  problemFor(
    IdempotencyKeyReusedError,
    (error) => new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', error.message),
  ),
  problemFor(
    RequestInProgressError,
    (error) => new HttpProblem(409, 'request-in-progress', 'Request in progress', error.message, {}, RETRY_AFTER),
  ),
  problemFor(
    OrderAlreadyPaidError,
    (error) =>
      new HttpProblem(409, 'order-already-paid', 'Order already paid', error.message, {
        orderId: error.orderId,
        ...(error.paymentId ? { paymentId: error.paymentId } : {}),
      }),
  ),
  problemFor(
    PaymentProviderUnavailableError,
    (error) =>
      new HttpProblem(
        503,
        'payment-provider-unavailable',
        'Payment provider unavailable',
        `${error.message}; nothing was charged or refunded: retry (a charge with the same Idempotency-Key)`,
        {},
        RETRY_AFTER,
      ),
  ),
  problemFor(PaymentNotFoundError, (error) => notFound('Payment', error.paymentId)),
  problemFor(
    PaymentNotRefundableError,
    (error) =>
      new HttpProblem(409, 'payment-not-refundable', 'Payment not refundable', error.message, {
        paymentId: error.payment.id,
        paymentStatus: error.payment.status,
      }),
  ),
];
