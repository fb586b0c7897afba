/** A saga's timeline (from the order service's operator view) and the NEEDS_ATTENTION retry, in the console's name. */
import { Type, type ServiceApp } from '@shop/service-kit';
import type { SagaDetail } from '../../shared/console-api';
import type { LiveUpdates } from '../live-updates';
import { problemFromFailure, type OperatorClient } from '../operator-client';

const SagaId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export function registerSagaRoutes(app: ServiceApp, operator: OperatorClient, live: LiveUpdates): void {
  app.get('/api/sagas/:id', { schema: { params: SagaId } }, async (request) => {
    try {
      return await operator.get<SagaDetail>('order', `/operator/sagas/${encodeURIComponent(request.params.id)}`);
    } catch (error) {
      throw problemFromFailure('order-service', error);
    }
  });

  app.post('/api/sagas/:id/retry', { schema: { params: SagaId } }, async (request, reply) => {
    try {
      await operator.call('order', 'POST', `/sagas/${encodeURIComponent(request.params.id)}/retry`);
    } catch (error) {
      throw problemFromFailure('order-service', error);
    }
    live.refreshSoon();
    return reply.code(202).send({ retried: request.params.id });
  });
}
