/**
 * The queues as SQS reports them: for each consumer's queue (from the topology) how many messages wait, how many a
 * consumer holds right now, and how many sit in its dead-letter queue. Asked straight from SQS with the AWS SDK, so
 * it reads the same on local-aws, LocalStack and AWS.
 */
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueName, systemTopology } from '@shop/contracts';
import { requireQueueUrl } from '@shop/messaging';
import type { QueueDepth } from '../shared/console-api';

export const QUEUES: readonly string[] = Object.values(systemTopology.consumers).map((consumer) => consumer.queue);

export function isKnownQueue(queue: string): boolean {
  return QUEUES.includes(queue);
}

export class QueueWatcher {
  private readonly urls = new Map<string, string>();
  constructor(private readonly sqs: SQSClient) {}

  private async urlOf(queue: string): Promise<string> {
    let url = this.urls.get(queue);
    if (!url) this.urls.set(queue, (url = await requireQueueUrl(this.sqs, queue)));
    return url;
  }

  private async counts(queue: string) {
    const { Attributes = {} } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await this.urlOf(queue),
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return {
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
    };
  }

  async depths(): Promise<QueueDepth[]> {
    try {
      return await Promise.all(
        QUEUES.map(async (queue) => {
          const dlq = deadLetterQueueName(queue);
          const [own, dead] = await Promise.all([this.counts(queue), this.counts(dlq)]);
          return { queue, ...own, deadLetters: { queue: dlq, visible: dead.visible } };
        }),
      );
    } catch (error) {
      this.urls.clear(); // the broker may have restarted with new queue URLs
      throw error;
    }
  }

  /**
   * A message no consumer can ever handle (an OrderPlaced without an envelope): the consumer dead-letters it on
   * first receive, with the reason. Scenario 8 does the same.
   */
  async sendPoisonMessage(queue: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.urlOf(queue),
        MessageBody: JSON.stringify({ eventType: 'OrderPlaced', data: 'not an envelope (sent by the console)' }),
      }),
    );
  }
}
