/**
 * `/api/orders`: place an order (202, the checkout runs in the background), follow it, list your orders.
 * The order service authorises by the forwarded token: orders are placed for the token's subject, and another
 * customer's order answers 404. The list is always narrowed to the caller here as well.
 */
import { customerOf, PreferWaitHeaders, preferredWaitSeconds, type ServiceApp } from '@shop/service-kit';
import { callUpstream, forward, publicLocation, sendUpstreamResponse } from '../proxy/forward';
import type { Upstream } from '../proxy/upstream';
import {
  commonProblems,
  IdempotencyHeaders,
  Order,
  OrderAccepted,
  OrderId,
  OrderListQuery,
  OrderSummaries,
  PlaceOrder,
  problem,
} from './public-schemas';

export function registerOrderRoutes(app: ServiceApp, { orders }: { orders: Upstream }) {
  app.post(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place an order (202: follow it at `Location`)',
        description:
          'Prices come from the catalogue when stock is reserved. Send an `Idempotency-Key` to make a retry safe: ' +
          'the same key and body return the first order.',
        headers: IdempotencyHeaders,
        body: PlaceOrder,
        response: { 202: OrderAccepted, 400: problem, 422: problem, ...commonProblems },
      },
    },
    async (request, reply) => {
      const response = await callUpstream(orders, request, { path: '/orders' });
      if (response.status !== 202) return sendUpstreamResponse(reply, response);
      // The body names the order's location too: make it the public one, like the header.
      const accepted = JSON.parse(response.body.toString()) as { location?: string };
      if (accepted.location) accepted.location = publicLocation(accepted.location);
      return sendUpstreamResponse(reply, response, Buffer.from(JSON.stringify(accepted)));
    },
  );

  app.get(
    '/api/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'One of your orders: status, priced items, total, shipment',
        description:
          'With `Prefer: wait=<seconds>` a PENDING order is answered as soon as its checkout settles (or when the ' +
          'wait is over) instead of at once: follow an order with one request rather than polling.',
        params: OrderId,
        headers: PreferWaitHeaders,
        response: { 200: Order, 404: problem, ...commonProblems },
      },
    },
    (request, reply) => {
      // A call that may wait gets the wait on top of the usual limit, or the gateway would answer 504 while it waits.
      const waitSeconds = preferredWaitSeconds(request.headers.prefer);
      return forward(orders, request, reply, {
        path: `/orders/${encodeURIComponent(request.params.id)}`,
        ...(waitSeconds ? { timeoutMs: orders.timeoutMs + waitSeconds * 1_000 } : {}),
      });
    },
  );

  app.get(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Your orders, oldest first (keyset pagination with `nextCursor`)',
        querystring: OrderListQuery,
        response: { 200: OrderSummaries, 400: problem, ...commonProblems },
      },
    },
    (request, reply) =>
      forward(orders, request, reply, {
        path: '/orders',
        query: { ...request.query, customerId: customerOf(request) },
      }),
  );
}
