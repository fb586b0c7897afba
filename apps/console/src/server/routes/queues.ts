/** Dead letters: look at them (body and reason), redrive them, and make one on purpose to watch it happen. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { listDeadLetters, redriveDeadLetters } from '@shop/messaging';
import { HttpProblem, Type, type ServiceApp } from '@shop/service-kit';
import type { DeadLetterView } from '../../shared/console-api';
import type { LiveUpdates } from '../live-updates';
import { isKnownQueue, type QueueWatcher } from '../queues';

const Queue = Type.Object({ queue: Type.String({ minLength: 1, maxLength: 80 }) });

function knownQueue(queue: string): string {
  if (!isKnownQueue(queue))
    throw new HttpProblem(404, 'not-found', 'Unknown queue', `no consumer owns a queue "${queue}"`);
  return queue;
}

function brokerProblem(error: unknown): HttpProblem {
  return new HttpProblem(502, 'broker-unavailable', 'SQS unavailable', (error as Error).message);
}

export function registerQueueRoutes(app: ServiceApp, sqs: SQSClient, queues: QueueWatcher, live: LiveUpdates): void {
  app.get('/api/queues/:queue/dead-letters', { schema: { params: Queue } }, async (request) => {
    const queue = knownQueue(request.params.queue);
    try {
      const letters = await listDeadLetters(sqs, queue, 20);
      return {
        deadLetters: letters.map(
          ({ messageId, eventType, aggregateId, reason, receiveCount, body }): DeadLetterView => ({
            messageId,
            ...(eventType ? { eventType } : {}),
            ...(aggregateId ? { aggregateId } : {}),
            ...(reason ? { reason } : {}),
            receiveCount,
            body,
          }),
        ),
      };
    } catch (error) {
      throw brokerProblem(error);
    }
  });

  app.post(
    '/api/queues/:queue/dead-letters/redrive',
    {
      schema: {
        params: Queue,
        body: Type.Object(
          { messageIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const queue = knownQueue(request.params.queue);
      try {
        const moved = await redriveDeadLetters(sqs, queue, request.body.messageIds);
        live.refreshSoon();
        return { moved };
      } catch (error) {
        throw brokerProblem(error);
      }
    },
  );

  app.post('/api/queues/:queue/poison', { schema: { params: Queue } }, async (request, reply) => {
    const queue = knownQueue(request.params.queue);
    try {
      await queues.sendPoisonMessage(queue);
    } catch (error) {
      throw brokerProblem(error);
    }
    live.refreshSoon();
    return reply.code(202).send({ sent: queue });
  });
}
