/**
 * The reservation API the order saga drives. Reservations are addressed by **orderId** (one per order), so every
 * step and compensation of the saga names the same key: reserve, then release or commit `/reservations/{orderId}`.
 * For services only (app.ts); domain refusals are answered by routes/domain-problems.ts.
 */
import { assertEachSkuOnce } from '@shop/contracts';
import { eventMetadataOf, notFound, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { SkuSchema } from '../domain/product';
import { ReservationSchema } from '../domain/reservation';
import type { ReservationStore } from '../reservation-store';

const OrderId = Type.String({
  pattern: '^[A-Za-z0-9._:-]{1,100}$',
  description: 'The order this reservation belongs to',
});
const OrderParams = Type.Object({ orderId: OrderId });

const ReserveBody = Type.Object(
  {
    orderId: OrderId,
    items: Type.Array(
      Type.Object(
        { sku: SkuSchema, quantity: Type.Integer({ minimum: 1, maximum: 10_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

const ReleaseBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Copied into StockReleased' })) },
  { additionalProperties: false },
);

const problem = Type.Ref(ProblemSchema);

export function registerReservationRoutes(app: ServiceApp, reservations: ReservationStore): void {
  app.post(
    '/reservations',
    {
      schema: {
        tags: ['reservations'],
        summary: 'Reserve every item or none (idempotent by orderId)',
        description:
          '201 with the reservation (lines carry the unit price snapshot, plus the total). A repeat with the same ' +
          'items answers 200 with the same reservation; different items 422 `reservation-mismatch`; an order ' +
          'already released (or released before it was ever reserved) 409 `reservation-released`.',
        body: ReserveBody,
        response: { 200: ReservationSchema, 201: ReservationSchema, 400: problem, 409: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const { orderId, items } = request.body;
      assertEachSkuOnce(items);
      const { reservation, created } = await reservations.reserve(orderId, items, eventMetadataOf(request));
      return reply
        .code(created ? 201 : 200)
        .header('location', `/reservations/${encodeURIComponent(orderId)}`)
        .send(reservation);
    },
  );

  app.get(
    '/reservations/:orderId',
    {
      schema: {
        tags: ['reservations'],
        summary: "Get an order's reservation",
        params: OrderParams,
        response: { 200: ReservationSchema, 400: problem, 404: problem },
      },
    },
    async (request) => {
      const reservation = await reservations.findByOrderId(request.params.orderId);
      if (!reservation) throw notFound('Reservation of order', request.params.orderId);
      return reservation;
    },
  );

  app.post(
    '/reservations/:orderId/release',
    {
      schema: {
        tags: ['reservations'],
        summary: "Release an order's reservation, returning its stock (idempotent; compensation step)",
        description:
          'Releasing twice returns the stock once. Releasing an order that has no reservation yet records a ' +
          'tombstone (200, `tombstone: true`), so a reserve that arrives later is refused. 409 ' +
          '`reservation-committed` after commit.',
        params: OrderParams,
        body: ReleaseBody,
        response: { 200: ReservationSchema, 400: problem, 409: problem },
      },
      // The body is optional (a saga's compensation usually sends none); Fastify would validate `undefined` as a
      // missing object, so an absent body counts as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const reason = request.body.reason ?? 'released';
      return reservations.release(request.params.orderId, reason, eventMetadataOf(request));
    },
  );

  app.post(
    '/reservations/:orderId/commit',
    {
      schema: {
        tags: ['reservations'],
        summary: "Commit an order's reservation once the order is confirmed (idempotent)",
        description: '404 when the order has no reservation; 409 `reservation-released` after release.',
        params: OrderParams,
        response: { 200: ReservationSchema, 400: problem, 404: problem, 409: problem },
      },
    },
    async (request) => reservations.commit(request.params.orderId),
  );
}
