// Conformance: Publish / PublishBatch delivering to SQS subscribers, envelope and raw, through the SDKs only.
import { createHash } from 'node:crypto';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { drainQueue, errorOf, openConformanceEndpoint, subscribedQueue } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

async function newTopic(name = aws.uniqueName('events'), attributes?: Record<string, string>): Promise<string> {
  const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  return TopicArn!;
}

describe('Publish to an SQS subscriber', () => {
  it('wraps the message in the SNS Notification envelope', async () => {
    const TopicArn = await newTopic();
    const { queueUrl, subscriptionArn } = await subscribedQueue(aws, TopicArn);
    const published = await aws.sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'Order update',
        Message: '{"orderId":"o-1"}',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
          total: { DataType: 'Number', StringValue: '42' },
          tags: { DataType: 'String.Array', StringValue: '["a","b"]' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    const [message] = await drainQueue(aws, queueUrl);
    const envelope = JSON.parse(message.Body!) as Record<string, unknown>;
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn,
      Subject: 'Order update',
      Message: '{"orderId":"o-1"}',
      SignatureVersion: '1',
      MessageAttributes: {
        eventType: { Type: 'String', Value: 'OrderPlaced' },
        total: { Type: 'Number', Value: '42' },
        tags: { Type: 'String.Array', Value: '["a","b"]' },
        blob: { Type: 'Binary', Value: Buffer.from([1, 2, 3]).toString('base64') },
      },
    });
    expect(new Date(envelope.Timestamp as string).toISOString()).toBe(envelope.Timestamp);
    for (const key of ['Signature', 'SigningCertURL', 'UnsubscribeURL']) expect(typeof envelope[key]).toBe('string');
    expect(envelope.UnsubscribeURL).toContain(subscriptionArn);
    expect(message.MessageAttributes).toBeUndefined();
  });

  it('passes the body through and maps attributes to SQS message attributes with RawMessageDelivery', async () => {
    const TopicArn = await newTopic();
    const { queueUrl } = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    await aws.sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'plain body',
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: 'OrderPlaced' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([9, 8]) },
        },
      }),
    );
    const [message] = await drainQueue(aws, queueUrl);
    expect(message.Body).toBe('plain body');
    expect(message.MessageAttributes?.eventType).toEqual({ DataType: 'String', StringValue: 'OrderPlaced' });
    expect(Buffer.from(message.MessageAttributes!.blob.BinaryValue!)).toEqual(Buffer.from([9, 8]));
    expect(message.MD5OfBody).toBe(createHash('md5').update('plain body').digest('hex'));
  });

  it('delivers to every subscribed queue before Publish returns', async () => {
    const TopicArn = await newTopic();
    const first = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    const second = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    await aws.sns.send(new PublishCommand({ TopicArn, Message: 'fan-out' }));
    expect((await drainQueue(aws, first.queueUrl)).map((m) => m.Body)).toEqual(['fan-out']);
    expect((await drainQueue(aws, second.queueUrl)).map((m) => m.Body)).toEqual(['fan-out']);
  });

  it('sends undeliverable messages to the subscription dead-letter queue', async () => {
    const TopicArn = await newTopic();
    const dlq = await subscribedQueue(aws, await newTopic(), {});
    const target = await subscribedQueue(aws, TopicArn, {
      RawMessageDelivery: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn }),
    });
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: target.queueUrl }));
    await aws.sns.send(new PublishCommand({ TopicArn, Message: 'nowhere to go' }));
    expect((await drainQueue(aws, dlq.queueUrl)).map((m) => m.Body)).toEqual(['nowhere to go']);
  });

  // API_Publish, MessageStructure: "Set MessageStructure to json if you want to send a different message for each
  // protocol … the value of the Message parameter must … contain at least a top-level JSON key of "default" with
  // a value that is a string." SQS subscribers get the `sqs` key; without one, the `default`.
  it('delivers the sqs key of a MessageStructure=json message to a raw subscriber', async () => {
    const TopicArn = await newTopic();
    const { queueUrl } = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    await aws.sns.send(
      new PublishCommand({
        TopicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'd', sqs: 'for queues', email: 'for people' }),
      }),
    );
    expect((await drainQueue(aws, queueUrl)).map((m) => m.Body)).toEqual(['for queues']);
  });

  it('puts the sqs key of a MessageStructure=json message in the envelope Message', async () => {
    const TopicArn = await newTopic();
    const { queueUrl } = await subscribedQueue(aws, TopicArn);
    await aws.sns.send(
      new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 'q' }) }),
    );
    const [message] = await drainQueue(aws, queueUrl);
    expect((JSON.parse(message.Body!) as { Message: string }).Message).toBe('q');
  });

  it('delivers the default key to SQS subscribers when the structure has no sqs key', async () => {
    const TopicArn = await newTopic();
    const raw = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    const wrapped = await subscribedQueue(aws, TopicArn);
    await aws.sns.send(
      new PublishCommand({
        TopicArn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', email: 'for people' }),
      }),
    );
    expect((await drainQueue(aws, raw.queueUrl)).map((m) => m.Body)).toEqual(['for everyone']);
    const [envelope] = await drainQueue(aws, wrapped.queueUrl);
    expect((JSON.parse(envelope.Body!) as { Message: string }).Message).toBe('for everyone');
  });

  it('refuses a MessageStructure=json message without a default key', async () => {
    const TopicArn = await newTopic();
    const error = await errorOf(
      aws.sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ sqs: 'q' }) })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });

  it('rejects publishing to a missing topic, an empty message and a bad attribute', async () => {
    const missing = await errorOf(
      aws.sns.send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:no-such-topic-xyz', Message: 'x' }),
      ),
    );
    expect(missing.name).toBe('NotFoundException');
    const TopicArn = await newTopic();
    const empty = await errorOf(aws.sns.send(new PublishCommand({ TopicArn, Message: '' })));
    expect(empty.name).toBe('InvalidParameterException');
    expect(empty.message).toBe('Invalid parameter: Empty message');
    const badNumber = await errorOf(
      aws.sns.send(
        new PublishCommand({
          TopicArn,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } },
        }),
      ),
    );
    expect(badNumber.name).toBe('InvalidParameterValueException');
  });
});

describe('PublishBatch', () => {
  it('publishes up to 10 entries and reports each', async () => {
    const TopicArn = await newTopic();
    const { queueUrl } = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    const result = await aws.sns.send(
      new PublishBatchCommand({
        TopicArn,
        PublishBatchRequestEntries: Array.from({ length: 10 }, (_, i) => ({
          Id: `e${i}`,
          Message: `m${i}`,
          MessageAttributes: { n: { DataType: 'Number', StringValue: String(i) } },
        })),
      }),
    );
    expect(result.Successful?.map((s) => s.Id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`).sort());
    expect(result.Failed ?? []).toEqual([]);
    const bodies = (await drainQueue(aws, queueUrl)).map((m) => m.Body).sort();
    expect(bodies).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`).sort());
  });

  it('enforces batch limits', async () => {
    const TopicArn = await newTopic();
    const tooMany = await errorOf(
      aws.sns.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'x' })),
        }),
      ),
    );
    expect(tooMany.name).toBe('TooManyEntriesInBatchRequestException');
    const duplicate = await errorOf(
      aws.sns.send(
        new PublishBatchCommand({
          TopicArn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'x' },
            { Id: 'a', Message: 'y' },
          ],
        }),
      ),
    );
    expect(duplicate.name).toBe('BatchEntryIdsNotDistinctException');
    const empty = await errorOf(aws.sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })));
    expect(empty.name).toBe('EmptyBatchRequestException');
  });
});

describe('FIFO topics', () => {
  it('delivers in group order to a FIFO queue and drops duplicates', async () => {
    const TopicArn = await newTopic(`${aws.uniqueName('orders')}.fifo`, { FifoTopic: 'true' });
    const { queueUrl } = await subscribedQueue(
      aws,
      TopicArn,
      { RawMessageDelivery: 'true' },
      `${aws.uniqueName('orders')}.fifo`,
    );
    const first = await aws.sns.send(
      new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g1', MessageDeduplicationId: 'd1' }),
    );
    expect(first.SequenceNumber).toBeDefined();
    await aws.sns.send(
      new PublishCommand({ TopicArn, Message: 'one again', MessageGroupId: 'g1', MessageDeduplicationId: 'd1' }),
    );
    await aws.sns.send(
      new PublishCommand({ TopicArn, Message: 'two', MessageGroupId: 'g1', MessageDeduplicationId: 'd2' }),
    );
    const messages = await drainQueue(aws, queueUrl);
    expect(messages.map((m) => m.Body)).toEqual(['one', 'two']);
    expect(messages[0].Attributes?.MessageGroupId).toBe('g1');
    const missingGroup = await errorOf(
      aws.sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageDeduplicationId: 'd3' })),
    );
    expect(missingGroup.name).toBe('InvalidParameterException');
  });
});
