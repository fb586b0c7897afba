/** The order service's domain refusals (placing an order, listing, retrying a saga) as problem+json. */
import { SagaNotFoundError, SagaNotRetryableError } from '@shop/saga';
import { HttpProblem, notFound, problemFor, repeatedSkuProblem } from '@shop/service-kit';
import { IdempotencyKeyReusedError, UnknownCustomerError } from '../place-order';
import { InvalidCursorError } from '../read-model/order-summaries';

export const orderProblems = [
  repeatedSkuProblem,
  problemFor(
    UnknownCustomerError,
    (error) =>
      new HttpProblem(422, 'unknown-customer', 'Unknown customer', error.message, { customerId: error.customerId }),
  ),
  problemFor(
    IdempotencyKeyReusedError,
    (error) => new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', error.message),
  ),
  problemFor(InvalidCursorError, (error) => new HttpProblem(400, 'invalid-cursor', 'Invalid cursor', error.message)),
  problemFor(SagaNotFoundError, (error) => notFound('Saga', error.sagaId)),
  problemFor(
    SagaNotRetryableError,
    (error) => new HttpProblem(409, 'saga-not-retryable', 'Saga not retryable', error.message, { state: error.state }),
  ),
];
