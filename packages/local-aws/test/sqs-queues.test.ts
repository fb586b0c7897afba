// Conformance: queue lifecycle and attributes, through @aws-sdk/client-sqs only.
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { errorOf, eventually, newQueue, openConformanceEndpoint, queueArnOf } from './support/conformance-endpoint';
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

async function attribute(queueUrl: string, name: 'Policy' | 'RedrivePolicy'): Promise<string | undefined> {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [name] }),
  );
  return Attributes?.[name];
}

const redrive = (deadLetterTargetArn: string, maxReceiveCount: number | string = 3) =>
  JSON.stringify({ deadLetterTargetArn, maxReceiveCount });

// SQS Developer Guide, "Using dead-letter queues": "The dead-letter queue of a FIFO queue must also be a FIFO
// queue. Similarly, the dead-letter queue of a standard queue must also be a standard queue." and "you must use
// the same AWS account to create the dead-letter queue and the other queues"; API_SetQueueAttributes,
// RedrivePolicy: "deadLetterTargetArn – The Amazon Resource Name (ARN) of the dead-letter queue".
describe('RedrivePolicy', () => {
  it('refuses a dead-letter target that does not exist', async () => {
    const missing = `arn:aws:sqs:${aws.region}:000000000000:${aws.uniqueName('missing-dlq')}`;
    const onCreate = await errorOf(
      aws.sqs.send(
        new CreateQueueCommand({ QueueName: aws.uniqueName('src'), Attributes: { RedrivePolicy: redrive(missing) } }),
      ),
    );
    expect(onCreate.name).toBe('InvalidParameterValue');
    expect(onCreate.message).toContain('RedrivePolicy');
    const queueUrl = await newQueue(aws, aws.uniqueName('src'));
    const onSet = await errorOf(
      aws.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: redrive(missing) } }),
      ),
    );
    expect(onSet.name).toBe('InvalidParameterValue');
  });

  it('refuses a standard dead-letter queue for a FIFO queue, and a FIFO one for a standard queue', async () => {
    const standardDlq = await queueArnOf(aws, await newQueue(aws, aws.uniqueName('std-dlq')));
    const fifoDlq = await queueArnOf(
      aws,
      await newQueue(aws, `${aws.uniqueName('fifo-dlq')}.fifo`, { FifoQueue: 'true' }),
    );
    const fifoSource = await errorOf(
      aws.sqs.send(
        new CreateQueueCommand({
          QueueName: `${aws.uniqueName('fifo-src')}.fifo`,
          Attributes: { FifoQueue: 'true', RedrivePolicy: redrive(standardDlq) },
        }),
      ),
    );
    expect(fifoSource.name).toBe('InvalidParameterValue');
    const standardSource = await errorOf(
      aws.sqs.send(
        new CreateQueueCommand({
          QueueName: aws.uniqueName('std-src'),
          Attributes: { RedrivePolicy: redrive(fifoDlq) },
        }),
      ),
    );
    expect(standardSource.name).toBe('InvalidParameterValue');
  });

  it('refuses a dead-letter queue of another region', async () => {
    const elsewhere = aws.region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1';
    const far = aws.inRegion(elsewhere).sqs;
    const { QueueUrl } = await far.send(new CreateQueueCommand({ QueueName: aws.uniqueName('far-dlq') }));
    const { Attributes } = await far.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const error = await errorOf(
      aws.sqs.send(
        new CreateQueueCommand({
          QueueName: aws.uniqueName('src'),
          Attributes: { RedrivePolicy: redrive(Attributes!.QueueArn!) },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValue');
  });

  // The GetQueueAttributes example in the API reference shows the stored form:
  // {"deadLetterTargetArn":"arn:aws:sqs:…","maxReceiveCount":1000}, the count a JSON number.
  it('returns the policy in AWS form: compact JSON, deadLetterTargetArn first, maxReceiveCount a number', async () => {
    const dlqArn = await queueArnOf(aws, await newQueue(aws, aws.uniqueName('dlq')));
    const queueUrl = await newQueue(aws, aws.uniqueName('src'));
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { RedrivePolicy: `{ "maxReceiveCount": "5",  "deadLetterTargetArn": "${dlqArn}" }` },
      }),
    );
    expect(await attribute(queueUrl, 'RedrivePolicy')).toBe(`{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":5}`);
  });

  it('lists the queues that use a dead-letter queue, a page at a time', async () => {
    const dlqUrl = await newQueue(aws, aws.uniqueName('shared-dlq'));
    const dlqArn = await queueArnOf(aws, dlqUrl);
    const sources = [];
    for (let i = 0; i < 3; i++)
      sources.push(await newQueue(aws, aws.uniqueName(`src${i}`), { RedrivePolicy: redrive(dlqArn) }));
    const first = await aws.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, MaxResults: 2 }));
    expect(first.queueUrls).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await aws.sqs.send(
      new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect([...first.queueUrls!, ...second.queueUrls!].sort()).toEqual(sources.sort());
  });
});

// API_SetQueueAttributes: an attribute set to the empty string is unset — "To remove the ability to change queue
// permissions … " aside, the Policy and RedrivePolicy attributes are removed by setting them to "".
describe('unsetting attributes', () => {
  it('removes Policy and RedrivePolicy when they are set to the empty string', async () => {
    const dlqArn = await queueArnOf(aws, await newQueue(aws, aws.uniqueName('dlq')));
    const queueUrl = await newQueue(aws, aws.uniqueName('unset'));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'sqs:SendMessage',
          Resource: await queueArnOf(aws, queueUrl),
        },
      ],
    });
    await aws.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: { Policy: policy, RedrivePolicy: redrive(dlqArn) },
      }),
    );
    expect(await attribute(queueUrl, 'Policy')).toBeDefined();
    await aws.sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: '', RedrivePolicy: '' } }),
    );
    await eventually(async () => ((await attribute(queueUrl, 'Policy')) === undefined ? true : undefined));
    expect(await attribute(queueUrl, 'RedrivePolicy')).toBeUndefined();
  });
});

// API_TagQueue: "A new tag with a key identical to that of an existing tag overwrites the existing tag."
// API_CreateQueue, tags: "Add cost allocation tags to the specified Amazon SQS queue."
describe('queue tags', () => {
  it('tags a queue at creation, overwrites, removes and lists tags', async () => {
    const { QueueUrl } = await aws.sqs.send(
      new CreateQueueCommand({ QueueName: aws.uniqueName('tagged'), tags: { team: 'orders', env: 'dev' } }),
    );
    expect((await aws.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'orders', env: 'dev' });
    await aws.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { team: 'payments' } }));
    await aws.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['env'] }));
    expect((await aws.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'payments' });
    await aws.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team'] }));
    expect((await aws.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags ?? {}).toEqual({});
  });

  it('answers QueueDoesNotExist for the tags of a missing queue', async () => {
    const error = await errorOf(
      aws.sqs.send(new ListQueueTagsCommand({ QueueUrl: `${aws.endpoint}/000000000000/${aws.uniqueName('nope')}` })),
    );
    expect(error.name).toBe('QueueDoesNotExist');
  });
});

// API_AddPermission: "Adds a permission to a queue for a specific principal … AddPermission generates a policy
// for you." API_RemovePermission: "Revokes any permissions in the queue policy that matches the specified Label".
describe('queue permissions', () => {
  it('adds a statement labelled with the Label to the queue Policy and removes it again', async () => {
    const queueUrl = await newQueue(aws, aws.uniqueName('shared'));
    await aws.sqs.send(
      new AddPermissionCommand({
        QueueUrl: queueUrl,
        Label: 'PartnerSends',
        AWSAccountIds: ['111122223333'],
        Actions: ['SendMessage', 'GetQueueUrl'],
      }),
    );
    const policy = JSON.parse((await attribute(queueUrl, 'Policy'))!) as { Statement: Array<Record<string, unknown>> };
    const statement = policy.Statement.find((s) => s.Sid === 'PartnerSends');
    expect(statement).toMatchObject({ Effect: 'Allow', Resource: await queueArnOf(aws, queueUrl) });
    expect(JSON.stringify(statement!.Principal)).toContain('111122223333');
    expect(JSON.stringify(statement!.Action)).toMatch(/SQS:SendMessage/i);
    await aws.sqs.send(new RemovePermissionCommand({ QueueUrl: queueUrl, Label: 'PartnerSends' }));
    const after = await attribute(queueUrl, 'Policy');
    const remaining = after ? (JSON.parse(after) as { Statement: Array<{ Sid?: string }> }).Statement : [];
    expect(remaining.map((s) => s.Sid)).not.toContain('PartnerSends');
  });
});
