/**
 * The order API in two groups, registered for their callers in app.ts: a customer places their own order (202 — the
 * saga runs in the background); customers and services follow and list orders (a customer only their own).
 * Schemas sit next to their handlers (validation + types + OpenAPI); domain refusals are answered by
 * routes/domain-problems.ts.
 */
import { assertEachSkuOnce } from '@shop/contracts';
import type { Database } from '@shop/db';
import type { SagaEngine, SagaInstanceWithLog } from '@shop/saga';
import {
  customerOf,
  eventMetadataOf,
  MAX_WAIT_SECONDS,
  mayActFor,
  notFound,
  PreferWaitHeaders,
  preferredWaitSeconds,
  ProblemSchema,
  Type,
  type FastifyRequest,
  type ServiceApp,
} from '@shop/service-kit';
import type { Orders } from '../orders';
import { placeOrder } from '../place-order';
import type { OrderChanges } from '../read-model/order-changes';
import { listOrderSummaries, type SummaryStatus } from '../read-model/order-summaries';
import { findOrderView, type OrderView } from '../read-model/order-views';
import { AddressSchema, OrderItemSchema, OrderSchema, OrderSummarySchema, StatusSchema } from './order-schemas';
import { sagaView } from './saga-view';

const PlaceOrderBody = Type.Object(
  {
    items: Type.Array(OrderItemSchema, { minItems: 1, maxItems: 100 }),
    shippingAddress: AddressSchema,
    paymentMethod: Type.String({ minLength: 1, maxLength: 100, description: 'Payment provider token, e.g. tok_visa' }),
  },
  { additionalProperties: false },
);

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'A repeat with the same key and body returns the first order',
    }),
  ),
});

const Accepted = Type.Object({ id: Type.String(), status: Type.Literal('PENDING'), location: Type.String() });

const ListQuery = Type.Object(
  {
    customerId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Forced to your own id with a customer token' }),
    ),
    status: Type.Optional(StatusSchema),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

const OrderId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const problem = Type.Ref(ProblemSchema);

export interface OrderRouteDeps {
  db: Database;
  orders: Orders;
  sagas: SagaEngine;
  changes: OrderChanges;
  onEventsCommitted: () => void;
}

const statusOf = ({ order, needsAttention }: OrderView) => (needsAttention ? 'NEEDS_ATTENTION' : order.status);

function orderResponse({ order, needsAttention }: OrderView, saga: SagaInstanceWithLog | undefined) {
  const { orderId, lines, total, ...rest } = order;
  return {
    ...rest,
    id: orderId,
    status: needsAttention ? ('NEEDS_ATTENTION' as const) : order.status,
    items: order.items.map((item) => {
      const line = lines?.find((priced) => priced.sku === item.sku);
      return { ...item, unitPrice: line?.unitPrice ?? null, lineTotal: line?.lineTotal ?? null };
    }),
    total,
    saga: saga ? sagaView(saga) : null,
  };
}

/** A customer sees only their own orders; a service may ask for anyone's. */
function customerFilter(request: FastifyRequest, requested: string | undefined): string | undefined {
  const principal = request.principal;
  return principal?.kind === 'customer' ? principal.customerId : requested;
}

export function registerPlaceOrderRoute(app: ServiceApp, { orders, sagas, onEventsCommitted }: OrderRouteDeps): void {
  app.post(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place an order for the authenticated customer (202: the checkout saga runs in the background)',
        description:
          'Prices come from inventory when stock is reserved; the total is computed here. Follow the order at ' +
          '`Location`. 422 `unknown-customer` when the customer has not reached the local replica (no call to the ' +
          'user service is made).',
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: { 202: Accepted, 400: problem, 401: problem, 403: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const customerId = customerOf(request);
      const { items, shippingAddress, paymentMethod } = request.body;
      assertEachSkuOnce(items);
      const idempotencyKey = request.headers['idempotency-key'];
      const { orderId, created } = await placeOrder(
        { orders, sagas },
        {
          customerId,
          items,
          shippingAddress,
          paymentMethod,
          metadata: eventMetadataOf(request),
          ...(idempotencyKey ? { idempotencyKey } : {}),
        },
      );
      if (created) onEventsCommitted();
      else reply.header('idempotent-replayed', 'true');
      const location = `/orders/${orderId}`;
      return reply.code(202).header('location', location).send({ id: orderId, status: 'PENDING', location });
    },
  );
}

export function registerOrderReadRoutes(app: ServiceApp, { db, orders, sagas, changes }: OrderRouteDeps): void {
  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'An order: status, items with prices, total, shipment, and the saga step history',
        description:
          'Answers from the read model. With `Prefer: wait=<seconds>` (RFC 7240, at most ' +
          `${MAX_WAIT_SECONDS}) a PENDING order is answered as soon as its checkout settles (the status leaves ` +
          'PENDING) or when the wait is over — one request instead of polling; `Preference-Applied` confirms it. ' +
          'Any other status is answered at once: what follows (shipping, delivery) takes hours, not seconds.',
        params: OrderId,
        headers: PreferWaitHeaders,
        response: { 200: OrderSchema, 401: problem, 404: problem },
      },
    },
    async (request, reply) => {
      const orderId = request.params.id;
      const read = async () => {
        const view = await findOrderView(db, orders, orderId);
        // Someone else's order answers as if it did not exist: its id tells nothing.
        if (!view || !mayActFor(request, view.order.customerId)) throw notFound('Order', orderId);
        return view;
      };
      let view = await read();
      const waitSeconds = preferredWaitSeconds(request.headers.prefer);
      if (waitSeconds !== undefined) {
        const clientGone = new AbortController();
        const abort = () => clientGone.abort();
        reply.raw.once('close', abort);
        try {
          view = await changes.readUntil(orderId, {
            first: view,
            read,
            settled: (latest) => statusOf(latest) !== 'PENDING',
            waitMs: waitSeconds * 1_000,
            signal: clientGone.signal,
          });
        } finally {
          reply.raw.off('close', abort);
        }
        reply.header('preference-applied', `wait=${waitSeconds}`);
      }
      return orderResponse(view, await sagas.get(orderId));
    },
  );

  app.get(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'List orders, oldest first (read model; keyset pagination with `nextCursor`)',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            orders: Type.Array(OrderSummarySchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          400: problem,
          401: problem,
        },
      },
    },
    async (request) => {
      const { customerId, status, limit, cursor } = request.query;
      const forCustomer = customerFilter(request, customerId);
      return listOrderSummaries(db, {
        limit,
        ...(forCustomer !== undefined ? { customerId: forCustomer } : {}),
        ...(status !== undefined ? { status: status as SummaryStatus } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },
  );
}
