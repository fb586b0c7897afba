import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
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

  it('redrives all dead letters with a message move task, whether SQS or the consumer put them there', async () => {
    const topology = testTopology({ maxReceiveCount: 1 });
    const { queues } = await provisionTopology(aws, topology);
    const queue = topology.consumers.user!.queue;
    const { url: queueUrl } = queues.user!;
    const { url: dlqUrl } = queues.user!.deadLetter;
    // One the consumer dead-lettered itself (with a reason) and one SQS moved after maxReceiveCount receives.
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlqUrl,
        MessageBody: JSON.stringify(orderEvent('OrderPlaced', 'order-1', 1)),
        MessageAttributes: { [DEAD_LETTER_REASON_ATTRIBUTE]: { DataType: 'String', StringValue: 'handler-bug' } },
      }),
    );
    await aws.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(orderEvent('OrderPlaced', 'order-2', 1)),
      }),
    );
    for (let receive = 0; receive < 2; receive++) {
      await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }));
    }
    expect(await messagesInQueue(aws.sqs, dlqUrl)).toBe(2);

    expect(await redriveDeadLetters(aws.sqs, queue, undefined, { pollIntervalMs: 20 })).toBe(2);
    const back = await receiveAll(aws.sqs, queueUrl);
    expect(back.map((m) => JSON.parse(m.Body!).aggregateId).sort()).toEqual(['order-1', 'order-2']);
    expect(await messagesInQueue(aws.sqs, dlqUrl)).toBe(0);
    // It went through the move-task API, so the same command works against AWS.
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }),
    );
    const { Results } = await aws.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: Attributes!.QueueArn! }));
    expect(Results).toEqual([
      expect.objectContaining({
        Status: 'COMPLETED',
        ApproximateNumberOfMessagesMoved: 2,
        DestinationArn: queues.user!.arn,
      }),
    ]);
  });
});
