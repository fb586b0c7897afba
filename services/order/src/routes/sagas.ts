/**
 * The saga API in two groups, registered for their callers in app.ts: an order's checkout saga, inspected by its
 * customer or a service; and resuming one parked in NEEDS_ATTENTION once the cause is fixed (e.g. the inventory
 * service is back), an operator's action with a service token. The saga id is the order id.
 */
import type { SagaEngine } from '@shop/saga';
import { mayActFor, notFound, ProblemSchema, Type, type ServiceApp } from '@shop/service-kit';
import { SagaSchema } from './order-schemas';
import { sagaView } from './saga-view';

const SagaId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const problem = Type.Ref(ProblemSchema);

export function registerSagaReadRoutes(app: ServiceApp, sagas: SagaEngine): void {
  app.get(
    '/sagas/:id',
    {
      schema: {
        tags: ['sagas'],
        summary: "An order's checkout saga: state, current step, and every attempt of every step",
        params: SagaId,
        response: { 200: SagaSchema, 401: problem, 404: problem },
      },
    },
    async (request) => {
      const saga = await sagas.get<{ customerId?: string }>(request.params.id);
      if (!saga || !mayActFor(request, saga.data.customerId ?? '')) throw notFound('Saga', request.params.id);
      return sagaView(saga);
    },
  );
}

export function registerSagaRetryRoute(app: ServiceApp, sagas: SagaEngine): void {
  app.post(
    '/sagas/:id/retry',
    {
      schema: {
        tags: ['sagas'],
        summary: 'Resume a saga parked in NEEDS_ATTENTION, with a fresh attempt budget (operators: service token)',
        params: SagaId,
        response: { 202: SagaSchema, 401: problem, 403: problem, 404: problem, 409: problem },
      },
    },
    async (request, reply) => {
      await sagas.retry(request.params.id);
      const saga = await sagas.get(request.params.id);
      return reply.code(202).send(sagaView(saga!));
    },
  );
}
