// Conformance: SQS batch operations with their limits, and FIFO queues (group ordering, deduplication).
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { errorOf, newQueue as createQueue, openConformanceEndpoint } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

const newQueue = (name: string, attributes?: Record<string, string>) => createQueue(aws, name, attributes);

describe('batches', () => {
  it('sends, changes visibility of and deletes batches of 10', async () => {
    const QueueUrl = await newQueue(aws.uniqueName('batch'));
    const sent = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
      }),
    );
    expect(sent.Successful).toHaveLength(10);
    expect(sent.Failed ?? []).toEqual([]);
    const received = [];
    while (received.length < 10) {
      const { Messages } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      received.push(...(Messages ?? []));
    }
    const entries = received.map((m, i) => ({ Id: `r${i}`, ReceiptHandle: m.ReceiptHandle! }));
    const changed = await aws.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: entries.map((e) => ({ ...e, VisibilityTimeout: 60 })),
      }),
    );
    expect(changed.Successful).toHaveLength(10);
    const deleted = await aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: entries }));
    expect(deleted.Successful?.map((s) => s.Id).sort()).toEqual(entries.map((e) => e.Id).sort());
  });

  it('reports a bad entry in Failed and sends the others', async () => {
    const QueueUrl = await newQueue(aws.uniqueName('partial'));
    const result = await aws.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'x', DelaySeconds: 901 },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
  });

  it('rejects empty, oversized and ambiguous batches', async () => {
    const QueueUrl = await newQueue(aws.uniqueName('limits'));
    const empty = await errorOf(aws.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })));
    expect(empty.name).toBe('EmptyBatchRequest');
    expect(empty.message).toBe('There should be at least one SendMessageBatchRequestEntry in the request.');
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'x' }));
    const tooMany = await errorOf(aws.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: eleven })));
    expect(tooMany.name).toBe('TooManyEntriesInBatchRequest');
    expect(tooMany.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    const duplicate = await errorOf(
      aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'a', MessageBody: 'x' },
            { Id: 'a', MessageBody: 'y' },
          ],
        }),
      ),
    );
    expect(duplicate.name).toBe('BatchEntryIdsNotDistinct');
    expect(duplicate.message).toBe('Id a repeated.');
    const badId = await errorOf(
      aws.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'no spaces', MessageBody: 'x' }] })),
    );
    expect(badId.name).toBe('InvalidBatchEntryId');
    const tooLong = await errorOf(
      aws.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'a', MessageBody: 'x'.repeat(600_000) },
            { Id: 'b', MessageBody: 'x'.repeat(600_000) },
          ],
        }),
      ),
    );
    expect(tooLong.name).toBe('BatchRequestTooLong');
    const emptyDelete = await errorOf(aws.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })));
    expect(emptyDelete.name).toBe('EmptyBatchRequest');
  });
});

describe('FIFO queues', () => {
  it('keeps group order with one in-flight batch per group', async () => {
    const QueueUrl = await newQueue(`${aws.uniqueName('fifo')}.fifo`, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    for (const [group, body] of [
      ['a', 'a1'],
      ['b', 'b1'],
      ['a', 'a2'],
      ['b', 'b2'],
      ['a', 'a3'],
    ]) {
      await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group }));
    }
    const first = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 30 }),
    );
    const firstBodies = first.Messages!.map((m) => m.Body);
    expect(firstBodies[0]).toBe('a1');
    // While group a (and b, if it was returned) is in flight, their later messages wait.
    const second = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const secondBodies = (second.Messages ?? []).map((m) => m.Body);
    expect(secondBodies).not.toContain('a2');
    expect(secondBodies).not.toContain('a3');
    await aws.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [...first.Messages!, ...(second.Messages ?? [])].map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.ReceiptHandle,
        })),
      }),
    );
    const rest: string[] = [];
    for (let i = 0; i < 10 && rest.length + firstBodies.length + secondBodies.length < 5; i++) {
      const { Messages } = await aws.sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const m of Messages ?? []) {
        rest.push(m.Body!);
        await aws.sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'x', ReceiptHandle: m.ReceiptHandle }] }),
        );
      }
    }
    const all = [...firstBodies, ...secondBodies, ...rest];
    expect(all.filter((b) => b!.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(all.filter((b) => b!.startsWith('b'))).toEqual(['b1', 'b2']);
  });

  it('deduplicates by MessageDeduplicationId and by content, returning the first message id', async () => {
    const QueueUrl = await newQueue(`${aws.uniqueName('dedup')}.fifo`, {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    const one = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
    );
    const two = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd' }),
    );
    expect(two.MessageId).toBe(one.MessageId);
    expect(one.SequenceNumber).toMatch(/^\d+$/);
    const three = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'same content', MessageGroupId: 'g' }),
    );
    const four = await aws.sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'same content', MessageGroupId: 'g' }),
    );
    expect(four.MessageId).toBe(three.MessageId);
    const { Messages } = await aws.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );
    expect(Messages!.map((m) => m.Body)).toEqual(['x', 'same content']);
    expect(Messages![0].Attributes).toMatchObject({ MessageGroupId: 'g', MessageDeduplicationId: 'd' });
    expect(Messages![0].Attributes?.SequenceNumber).toBe(one.SequenceNumber);
  });

  it('requires MessageGroupId, and a deduplication id without content-based deduplication', async () => {
    const QueueUrl = await newQueue(`${aws.uniqueName('strict')}.fifo`, { FifoQueue: 'true' });
    const noGroup = await errorOf(
      aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })),
    );
    expect(noGroup.name).toBe('MissingParameter');
    expect(noGroup.message).toBe('The request must contain the parameter MessageGroupId.');
    const noDedup = await errorOf(
      aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })),
    );
    expect(noDedup.name).toBe('InvalidParameterValue');
    expect(noDedup.message).toBe(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  });

  it('refuses FifoQueue=true on a name without .fifo', async () => {
    const error = await errorOf(
      aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('nofifo'), Attributes: { FifoQueue: 'true' } })),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });
});
