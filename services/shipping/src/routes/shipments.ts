/**
 * The shipment API, for services only (app.ts). Schemas sit next to their handlers (validation + types + OpenAPI);
 * SQL is in the store; its domain refusals are answered by routes/domain-problems.ts.
 */
import { eventMetadataOf, notFound, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { CreateShipmentBody, OrderIdSchema, ShipmentSchema, type Shipment } from '../domain/shipment';
import type { ShipmentStore } from '../shipment-store';

const ShipmentId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OrderIdParams = Type.Object({ orderId: OrderIdSchema });
const ByOrderQuery = Type.Object({ orderId: OrderIdSchema }, { additionalProperties: false });
const CancelBody = Type.Union(
  [
    Type.Object(
      { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Optional; `{}` or no body at all cancels with a default reason' },
);
const DEFAULT_REASON = 'cancelled on request';

const problem = Type.Ref(ProblemSchema);

const location = (shipment: Shipment) => `/shipments/${shipment.id}`;

export function registerShipmentRoutes(app: ServiceApp, shipments: ShipmentStore): void {
  app.post(
    '/shipments',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Create the shipment of an order (idempotent by orderId)',
        description:
          '201 the first time; 200 with the same shipment for a repeat with the same address and items; ' +
          '422 for a repeat with a different body; 409 when the order was cancelled (by order) before this arrived.',
        body: CreateShipmentBody,
        response: { 200: ShipmentSchema, 201: ShipmentSchema, 400: problem, 409: problem, 422: problem },
      },
    },
    async (request, reply) => {
      const { created, shipment } = await shipments.create(request.body, eventMetadataOf(request));
      return reply
        .code(created ? 201 : 200)
        .header('location', location(shipment))
        .send(shipment);
    },
  );

  app.get(
    '/shipments/:id',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Get a shipment',
        params: ShipmentId,
        response: { 200: ShipmentSchema, 400: problem, 404: problem },
      },
    },
    async (request) => {
      const shipment = await shipments.findById(request.params.id);
      if (!shipment) throw notFound('Shipment', request.params.id);
      return shipment;
    },
  );

  app.get(
    '/shipments',
    {
      schema: {
        tags: ['shipments'],
        summary: "Find an order's shipment (none, or one — possibly a tombstone)",
        querystring: ByOrderQuery,
        response: { 200: Type.Object({ shipments: Type.Array(ShipmentSchema) }), 400: problem },
      },
    },
    async (request) => ({ shipments: await shipments.findByOrder(request.query.orderId) }),
  );

  app.post(
    '/shipments/:id/cancel',
    {
      schema: {
        tags: ['shipments'],
        summary: 'Cancel a shipment until it is dispatched (idempotent)',
        params: ShipmentId,
        body: CancelBody,
        response: { 200: ShipmentSchema, 400: problem, 404: problem, 409: problem },
      },
    },
    async (request) => {
      const reason = request.body?.reason ?? DEFAULT_REASON;
      const result = await shipments.cancel(request.params.id, reason, eventMetadataOf(request));
      if (!result) throw notFound('Shipment', request.params.id);
      return result.shipment;
    },
  );

  app.post(
    '/shipments/by-order/:orderId/cancel',
    {
      schema: {
        tags: ['shipments'],
        summary: "Cancel an order's shipment, even one not created yet (idempotent; for saga compensations)",
        description:
          'Cancels the shipment of the order if it is still CREATED. When none exists yet, records a tombstone ' +
          '(status CANCELLED, tombstone true) so that a create arriving later is refused with 409.',
        params: OrderIdParams,
        body: CancelBody,
        response: { 200: ShipmentSchema, 400: problem, 409: problem },
      },
    },
    async (request) => {
      const reason = request.body?.reason ?? DEFAULT_REASON;
      const result = await shipments.cancelByOrder(request.params.orderId, reason, eventMetadataOf(request));
      return result.shipment;
    },
  );
}
