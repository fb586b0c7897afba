/**
 * The payment API in two groups, registered for their callers in app.ts: charges and refunds are saga steps, made
 * by services only (a customer pays by placing an order); reads are open to services and to the payment's own
 * customer. Schemas sit next to handlers; domain refusals are answered by routes/domain-problems.ts.
 */
import {
  eventMetadataOf,
  HttpProblem,
  mayActFor,
  notFound,
  PROBLEM_CONTENT_TYPE,
  ProblemSchema,
  Type,
  type FastifyRequest,
  type ServiceApp,
} from '@shop/service-kit';
import { PaymentSchema, RefundSchema } from '../domain/payment';
import { requestFingerprint } from '../idempotency/request-fingerprint';
import type { Payments } from '../payments';

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

const pathOf = (request: FastifyRequest) => request.url.split('?')[0]!;

export function registerChargeAndRefundRoutes(app: ServiceApp, payments: Payments): void {
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
      const { response, replayed } = await payments.charge({
        request: request.body,
        idempotencyKey: key,
        fingerprint: requestFingerprint('POST', path, request.body),
        path,
        metadata: eventMetadataOf(request),
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      if (response.status >= 400) reply.type(PROBLEM_CONTENT_TYPE);
      else reply.header('location', `/payments/${(response.body as { id: string }).id}`);
      // A stored response: its status is one of those declared above and its body was produced by this route.
      return reply.code(response.status as 201).send(response.body as never);
    },
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
      const { refund, created } = await payments.refund(
        request.params.id,
        request.body?.reason ?? 'requested',
        eventMetadataOf(request),
      );
      return reply
        .code(created ? 201 : 200)
        .header('location', `/payments/${refund.paymentId}`)
        .send(refund);
    },
  );
}

export function registerPaymentReadRoutes(app: ServiceApp, payments: Payments): void {
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
}
