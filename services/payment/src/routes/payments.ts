/** The payment API: charge (Idempotency-Key required), read, list by order, refund. Schemas sit next to handlers. */
import type { EventMetadata } from '@shop/contracts';
import {
  HttpProblem,
  mayActFor,
  notFound,
  PROBLEM_CONTENT_TYPE,
  ProblemSchema,
  Type,
  type Principal,
  type ServiceApp,
} from '@shop/service-kit';
import { PaymentSchema, RefundSchema } from '../domain/payment';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../idempotency/idempotency-keys';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import { OrderAlreadyPaidError } from '../payment-store';
import { PaymentNotFoundError, PaymentNotRefundableError, type Payments } from '../payments';
import { PaymentProviderUnavailableError } from '../provider/payment-provider';

const PaymentId = Type.Object({ id: Type.String({ format: 'uuid' }) });

const CreatePaymentBody = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 100 }),
    customerId: Type.String({ minLength: 1, maxLength: 100 }),
    amount: Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'Minor units, e.g. 1999 for 19.99' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR' }),
    paymentMethod: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Provider token, e.g. tok_visa (see README)',
    }),
  },
  { additionalProperties: false },
);

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Required: a unique value per logical payment (e.g. a UUID)',
    }),
  ),
});

const RefundBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  { orderId: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

const problem = Type.Ref(ProblemSchema);
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The parts of a request this file reads (kept structural: no direct dependency on fastify's types). */
interface IncomingRequest {
  id: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Event metadata from the request: the caller's correlation id (or this request's id) and trace context. */
function eventMetadata(request: IncomingRequest): EventMetadata {
  const correlation = request.headers['x-correlation-id'];
  const traceparent = request.headers.traceparent;
  return {
    correlationId: typeof correlation === 'string' && correlation.length > 0 ? correlation.slice(0, 200) : request.id,
    causationId: request.id,
    ...(typeof traceparent === 'string' && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
  };
}

/**
 * Charges and refunds are saga steps: with authentication on, only a service token may make them (a customer pays
 * by placing an order). Reads are open to services and to the payment's own customer.
 */
function requireService(principal: Principal | undefined): void {
  if (principal && principal.kind !== 'service') {
    throw new HttpProblem(403, 'forbidden', 'Forbidden', 'payments and refunds are made by services, not customers');
  }
}

const pathOf = (request: IncomingRequest) => request.url.split('?')[0]!;

export function registerPaymentRoutes(app: ServiceApp, payments: Payments): void {
  app.post(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Charge a payment method for an order (Idempotency-Key required)',
        headers: IdempotencyHeaders,
        body: CreatePaymentBody,
        response: {
          201: PaymentSchema,
          400: problem,
          401: problem,
          402: problem,
          403: problem,
          409: problem,
          422: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      requireService(request.principal);
      const key = request.headers['idempotency-key'];
      if (!key) {
        throw new HttpProblem(
          400,
          'idempotency-key-missing',
          'Idempotency-Key header required',
          'POST /payments needs an Idempotency-Key header so that retries never charge twice',
        );
      }
      const path = pathOf(request);
      try {
        const { response, replayed } = await payments.charge({
          request: request.body,
          idempotencyKey: key,
          fingerprint: requestFingerprint('POST', path, request.body),
          path,
          metadata: eventMetadata(request),
        });
        if (replayed) reply.header('idempotent-replayed', 'true');
        if (response.status >= 400) reply.type(PROBLEM_CONTENT_TYPE);
        else reply.header('location', `/payments/${(response.body as { id: string }).id}`);
        // A stored response: its status is one of those declared above and its body was produced by this route.
        return reply.code(response.status as 201).send(response.body as never);
      } catch (error) {
        if (error instanceof IdempotencyKeyReusedError) {
          throw new HttpProblem(422, 'idempotency-key-reused', 'Idempotency-Key reused', error.message);
        }
        if (error instanceof RequestInProgressError) {
          throw new HttpProblem(
            409,
            'request-in-progress',
            'Request in progress',
            error.message,
            {},
            { 'retry-after': '1' },
          );
        }
        if (error instanceof OrderAlreadyPaidError) {
          const existing = (await payments.listByOrder(error.orderId)).find((payment) => payment.status !== 'declined');
          throw new HttpProblem(409, 'order-already-paid', 'Order already paid', error.message, {
            orderId: error.orderId,
            ...(existing ? { paymentId: existing.id } : {}),
          });
        }
        if (error instanceof PaymentProviderUnavailableError) {
          throw new HttpProblem(
            503,
            'payment-provider-unavailable',
            'Payment provider unavailable',
            `${error.message}; nothing was charged, retry with the same Idempotency-Key`,
            {},
            { 'retry-after': '1' },
          );
        }
        throw error;
      }
    },
  );

  app.get(
    '/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'Get a payment',
        params: PaymentId,
        response: { 200: PaymentSchema, 400: problem, 404: problem },
      },
    },
    async (request) => {
      const payment = await payments.get(request.params.id);
      // Someone else's payment is "not found", not "forbidden": its existence is not the caller's business.
      if (!payment || !mayActFor(request, payment.customerId)) throw notFound('Payment', request.params.id);
      return payment;
    },
  );

  app.get(
    '/payments',
    {
      schema: {
        tags: ['payments'],
        summary: "List an order's payments, oldest first (declined attempts included)",
        querystring: ListQuery,
        response: { 200: Type.Object({ payments: Type.Array(PaymentSchema) }), 400: problem },
      },
    },
    async (request) => ({
      payments: (await payments.listByOrder(request.query.orderId)).filter((payment) =>
        mayActFor(request, payment.customerId),
      ),
    }),
  );

  app.post(
    '/payments/:id/refunds',
    {
      schema: {
        tags: ['payments'],
        summary: 'Refund the full captured amount (idempotent: a repeat returns the same refund with 200)',
        params: PaymentId,
        body: RefundBody,
        response: {
          200: RefundSchema,
          201: RefundSchema,
          400: problem,
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          503: problem,
        },
      },
    },
    async (request, reply) => {
      requireService(request.principal);
      try {
        const { refund, created } = await payments.refund(
          request.params.id,
          request.body?.reason ?? 'requested',
          eventMetadata(request),
        );
        return reply
          .code(created ? 201 : 200)
          .header('location', `/payments/${refund.paymentId}`)
          .send(refund);
      } catch (error) {
        if (error instanceof PaymentNotFoundError) throw notFound('Payment', error.paymentId);
        if (error instanceof PaymentNotRefundableError) {
          throw new HttpProblem(409, 'payment-not-refundable', 'Payment not refundable', error.message, {
            paymentId: error.payment.id,
            paymentStatus: error.payment.status,
          });
        }
        if (error instanceof PaymentProviderUnavailableError) {
          throw new HttpProblem(
            503,
            'payment-provider-unavailable',
            'Payment provider unavailable',
            `${error.message}; nothing was refunded, retry`,
            {},
            { 'retry-after': '1' },
          );
        }
        throw error;
      }
    },
  );
}
