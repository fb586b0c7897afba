// Conformance: queue lifecycle and attributes, through @aws-sdk/client-sqs only.
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { errorOf, eventually, openConformanceEndpoint } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

describe('CreateQueue / GetQueueUrl / ListQueues / DeleteQueue', () => {
  it('creates a queue whose URL ends with account id and name, idempotently for equal attributes', async () => {
    const name = aws.uniqueName('orders');
    const first = await aws.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }),
    );
    expect(first.QueueUrl).toMatch(new RegExp(`/000000000000/${name}$`));
    const again = await aws.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }),
    );
    expect(again.QueueUrl).toBe(first.QueueUrl);
    const url = await aws.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    expect(url.QueueUrl).toBe(first.QueueUrl);
  });

  it('refuses to recreate a queue with different attributes (QueueNameExists)', async () => {
    const name = aws.uniqueName('conflict');
    await aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }));
    const error = await errorOf(
      aws.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '46' } })),
    );
    expect(error.name).toBe('QueueNameExists');
    expect(error.message).toContain(
      'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    );
  });

  it('rejects an invalid queue name', async () => {
    const error = await errorOf(aws.sqs.send(new CreateQueueCommand({ QueueName: 'bad name!' })));
    expect(error.name).toBe('InvalidParameterValue');
  });

  it('answers QueueDoesNotExist for an unknown queue', async () => {
    const error = await errorOf(aws.sqs.send(new GetQueueUrlCommand({ QueueName: aws.uniqueName('missing') })));
    expect(error.name).toBe('QueueDoesNotExist');
    expect(error.message).toBe('The specified queue does not exist.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('lists queues by prefix and forgets deleted ones', async () => {
    const prefix = aws.uniqueName('list');
    const a = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-a` }));
    const b = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-b` }));
    const listed = await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
    expect(listed.QueueUrls?.sort()).toEqual([a.QueueUrl, b.QueueUrl].sort());
    await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: a.QueueUrl }));
    await eventually(
      async () => {
        const after = await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
        return after.QueueUrls?.length === 1 ? after : undefined;
      },
      25_000,
      200,
    );
    const error = await errorOf(aws.sqs.send(new SendMessageCommand({ QueueUrl: a.QueueUrl, MessageBody: 'x' })));
    expect(error.name).toBe('QueueDoesNotExist');
  });

  it('returns no QueueUrls key when nothing matches', async () => {
    const listed = await aws.sqs.send(new ListQueuesCommand({ QueueNamePrefix: aws.uniqueName('none') }));
    expect(listed.QueueUrls).toBeUndefined();
  });
});

describe('Get/SetQueueAttributes', () => {
  it('returns QueueArn, defaults and approximate counts', async () => {
    const name = aws.uniqueName('attrs');
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: name }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'now' }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
    const { Attributes } = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      VisibilityTimeout: '30',
      DelaySeconds: '0',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      MaximumMessageSize: '1048576',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '1',
    });
    expect(Number(Attributes?.CreatedTimestamp)).toBeGreaterThan(1_600_000_000);
  });

  it('sets attributes and returns only those asked for', async () => {
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('set') }));
    await aws.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '5', DelaySeconds: '2' } }),
    );
    const { Attributes } = await aws.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout', 'DelaySeconds'] }),
    );
    expect(Attributes).toEqual({ VisibilityTimeout: '5', DelaySeconds: '2' });
  });

  it('rejects unknown attribute names (InvalidAttributeName) and out-of-range values', async () => {
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('bad-attr') }));
    const unknownRead = await errorOf(
      aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Nope' as never] })),
    );
    expect(unknownRead.name).toBe('InvalidAttributeName');
    expect(unknownRead.message).toBe('Unknown Attribute Nope.');
    const unknownWrite = await errorOf(
      aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Nope: '1' } as never })),
    );
    expect(unknownWrite.name).toBe('InvalidAttributeName');
    const outOfRange = await errorOf(
      aws.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '43201' } })),
    );
    expect(outOfRange.name).toBe('InvalidAttributeValue');
  });

  it('purges every message', async () => {
    const { QueueUrl } = await aws.sqs.send(new CreateQueueCommand({ QueueName: aws.uniqueName('purge') }));
    await aws.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await aws.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const count = await eventually(async () => {
      const { Attributes } = await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return Attributes?.ApproximateNumberOfMessages === '0' ? '0' : undefined;
    });
    expect(count).toBe('0');
  });
});
