/**
 * Messaging fault: duplicate deliveries. A tap queue subscribed to every topic sees a copy of each event; the
 * duplicator sends some of them again, straight to the consumers' queues that subscribe to that event type, as SQS
 * and SNS may (at-least-once). The consumers' inboxes must absorb every copy: the invariants then still hold.
 */
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { systemTopology } from '@shop/contracts';
import type { AwsClients } from '@shop/messaging';
import { findTopicArn } from '@shop/messaging';
import type { SeededRandom } from '../seeded-random';

export const TAP_QUEUE = 'chaos-tap';

export interface DuplicateDeliveries {
  /** Copies sent so far, per consumer queue. */
  readonly sent: Record<string, number>;
  /** Failed tap receives/sends (the duplicator keeps going), with the last error. */
  readonly errors: { count: number; last?: string };
  stop(): Promise<void>;
}

/** Which consumer queues receive an event type (from the topology, like the subscriptions' filter policies). */
function queuesFor(eventType: string): string[] {
  return Object.values(systemTopology.consumers)
    .filter((consumer) =>
      Object.values(consumer.subscribes).some((types) => (types as readonly string[]).includes(eventType)),
    )
    .map((consumer) => consumer.queue);
}

export async function startDuplicateDeliveries(
  aws: AwsClients,
  random: SeededRandom,
  probability: number,
): Promise<DuplicateDeliveries> {
  const { QueueUrl: tapUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: TAP_QUEUE }));
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: tapUrl, AttributeNames: ['QueueArn'] }),
  );
  const subscriptions: string[] = [];
  for (const { topic } of Object.values(systemTopology.producers)) {
    const { SubscriptionArn } = await aws.sns.send(
      new SubscribeCommand({
        TopicArn: await findTopicArn(aws.sns, topic),
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn!,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    subscriptions.push(SubscriptionArn!);
  }
  const urls = new Map<string, string>();
  const urlOf = async (queue: string) => {
    if (!urls.has(queue)) urls.set(queue, (await aws.sqs.send(new GetQueueUrlCommand({ QueueName: queue }))).QueueUrl!);
    return urls.get(queue)!;
  };

  const sent: Record<string, number> = {};
  const errors: DuplicateDeliveries['errors'] = { count: 0 };
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const { Messages = [] } = await aws.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: tapUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          { abortSignal: abort.signal },
        );
        for (const message of Messages) {
          if (!random.chance(probability)) continue;
          const eventType = (JSON.parse(message.Body ?? '{}') as { eventType?: string }).eventType ?? '';
          for (const queue of queuesFor(eventType)) {
            await aws.sqs.send(new SendMessageCommand({ QueueUrl: await urlOf(queue), MessageBody: message.Body! }));
            sent[queue] = (sent[queue] ?? 0) + 1;
          }
        }
        if (Messages.length) {
          await aws.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: tapUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        errors.count += 1;
        errors.last = (error as Error).message;
      }
    }
  })();

  return {
    sent,
    errors,
    async stop() {
      abort.abort();
      await loop.catch(() => undefined);
      // The tap is not part of the system: remove it so "no message left in a queue" looks only at real consumers.
      for (const arn of subscriptions) await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
      await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: tapUrl }));
    },
  };
}
