import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DEAD_LETTER_REASON_ATTRIBUTE, listDeadLetters, provisionTopology, redriveDeadLetters } from '../src';
import { messagesInQueue, orderEvent, receiveAll, startAws, testTopology, type AwsFixture } from './fixtures';

describe('dead-letter tools', () => {
  let aws: AwsFixture;
  beforeAll(async () => {
    aws = await startAws();
  });
  afterAll(() => aws.close());

  it('lists dead letters with their reason, leaves them in place, and redrives the chosen ones', async () => {
    const topology = testTopology();
    const { queues } = await provisionTopology(aws, topology);
    const queue = topology.consumers.user!.queue;
    for (const id of ['order-1', 'order-2']) {
      await aws.sqs.send(
        new SendMessageCommand({
          QueueUrl: queues.user!.deadLetter.url,
          MessageBody: JSON.stringify(orderEvent('OrderPlaced', id, 1)),
          MessageAttributes: {
            [DEAD_LETTER_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: 'invalid-data: /data/x' },
            eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
          },
        }),
      );
    }

    const letters = await listDeadLetters(aws.sqs, queue);
    expect(letters.map((l) => [l.aggregateId, l.eventType, l.reason]).sort()).toEqual([
      ['order-1', 'OrderPlaced', 'invalid-data: /data/x'],
      ['order-2', 'OrderPlaced', 'invalid-data: /data/x'],
    ]);
    expect(await listDeadLetters(aws.sqs, queue)).toHaveLength(2); // listing released them

    const first = letters.find((l) => l.aggregateId === 'order-1')!;
    expect(await redriveDeadLetters(aws.sqs, queue, [first.messageId])).toBe(1);
    const [back] = await receiveAll(aws.sqs, queues.user!.url);
    expect(JSON.parse(back!.Body!).aggregateId).toBe('order-1');
    expect(back!.MessageAttributes).toEqual({ eventType: expect.objectContaining({ StringValue: 'OrderPlaced' }) });
    expect(await messagesInQueue(aws.sqs, queues.user!.deadLetter.url)).toBe(1);
  });
});
