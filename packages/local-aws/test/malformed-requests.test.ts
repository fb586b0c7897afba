// Robustness of this implementation: every operation, fed request shapes no SDK sends (wrong types, nulls, lists
// where maps belong, odd nesting), answers an AWS-shaped 4xx — never a 500. The conformance suites cover what
// AWS documents; this one sweeps the input space, so it runs against the in-process endpoint only.
import { startLocalAws } from '../src';
import type { LocalAws } from '../src';
import { SNS_ACTIONS } from '../src/sns/query-handler';
import { SQS_OPERATIONS } from '../src/sqs/json-protocol';

let local: LocalAws;
let queueUrl: string;
let fifoUrl: string;
let topicArn: string;
beforeAll(async () => {
  local = await startLocalAws({ port: 0 });
});
// Recreated for each operation: a sweep of DeleteQueue or DeleteTopic removes them.
beforeEach(async () => {
  queueUrl = (await sqs('CreateQueue', { QueueName: 'target' })).json.QueueUrl as string;
  fifoUrl = (await sqs('CreateQueue', { QueueName: 'target.fifo', Attributes: { FifoQueue: 'true' } })).json
    .QueueUrl as string;
  topicArn = /<TopicArn>([^<]+)</.exec((await query({ Action: 'CreateTopic', Name: 'target' })).text)![1];
});
afterAll(() => local.close());

/** Runs the checks a few at a time: fast enough, without flooding a shared machine. */
async function inParallel<T>(items: T[], check: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += 16) await Promise.all(items.slice(start, start + 16).map(check));
}

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(local.endpoint, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

async function sqs(operation: string, input: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const { status, text } = await post(
    { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AmazonSQS.${operation}` },
    JSON.stringify(input),
  );
  return { status, json: JSON.parse(text) as Record<string, unknown> };
}

function query(params: Record<string, string>): Promise<{ status: number; text: string }> {
  return post({ 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(params).toString());
}

/** Each operation with the members it reads (QueueUrl and QueueName are always sent, valid unless swept). */
const MEMBERS_READ: Record<(typeof SQS_OPERATIONS)[number], string[]> = {
  CreateQueue: ['QueueName', 'Attributes', 'tags'],
  GetQueueUrl: ['QueueName', 'QueueOwnerAWSAccountId'],
  ListQueues: ['QueueNamePrefix', 'MaxResults', 'NextToken'],
  GetQueueAttributes: ['QueueUrl', 'AttributeNames'],
  SetQueueAttributes: ['QueueUrl', 'Attributes'],
  ListDeadLetterSourceQueues: ['QueueUrl', 'MaxResults', 'NextToken'],
  SendMessage: [
    'MessageBody',
    'MessageAttributes',
    'MessageSystemAttributes',
    'DelaySeconds',
    'MessageGroupId',
    'MessageDeduplicationId',
  ],
  SendMessageBatch: ['Entries'],
  ReceiveMessage: [
    'MaxNumberOfMessages',
    'VisibilityTimeout',
    'AttributeNames',
    'MessageAttributeNames',
    'MessageSystemAttributeNames',
  ],
  DeleteMessage: ['ReceiptHandle'],
  DeleteMessageBatch: ['Entries'],
  ChangeMessageVisibility: ['ReceiptHandle', 'VisibilityTimeout'],
  ChangeMessageVisibilityBatch: ['Entries'],
  TagQueue: ['Tags'],
  UntagQueue: ['TagKeys'],
  ListQueueTags: ['QueueUrl'],
  AddPermission: ['Label', 'AWSAccountIds', 'Actions'],
  RemovePermission: ['Label'],
  StartMessageMoveTask: ['SourceArn', 'DestinationArn', 'MaxNumberOfMessagesPerSecond'],
  ListMessageMoveTasks: ['SourceArn', 'MaxResults'],
  CancelMessageMoveTask: ['TaskHandle'],
  PurgeQueue: ['QueueUrl'],
  DeleteQueue: ['QueueUrl'],
};

/** Values of the wrong kind for any member. */
const ODD_VALUES: unknown[] = [
  null,
  5,
  1.5,
  true,
  'x',
  '',
  [],
  [null],
  [5],
  {},
  { a: null },
  { a: 5 },
  [{}],
  [{ Id: 5 }],
];

describe('SQS JSON protocol', () => {
  it('sweeps every operation the endpoint serves', () => {
    expect(Object.keys(MEMBERS_READ).sort()).toEqual([...SQS_OPERATIONS].sort());
  });

  it.each(Object.entries(MEMBERS_READ))(
    '%s answers odd values of %j with a 4xx JSON error or a success',
    async (operation, members) => {
      const cases = [queueUrl, fifoUrl].flatMap((url) =>
        members.flatMap((member) =>
          ODD_VALUES.map((value) => ({ QueueUrl: url, QueueName: 'target', [member]: value })),
        ),
      );
      await inParallel(cases, async (input) => {
        const { status, json } = await sqs(operation, input);
        if (status >= 500 || (status >= 400 && typeof json.__type !== 'string')) {
          throw new Error(`${operation} with ${JSON.stringify(input)} answered ${status} ${JSON.stringify(json)}`);
        }
      });
    },
  );

  it('answers odd batch entries and message attributes per entry or as a whole, never with a 500', async () => {
    const entries: unknown[] = [
      { Id: 'a', MessageBody: 5 },
      { Id: 'b', MessageBody: 'x', MessageAttributes: { n: { DataType: 5, StringValue: 'x' } } },
      { Id: 'c', MessageBody: 'x', MessageAttributes: { n: { DataType: 'String', StringValue: 7 } } },
      { Id: 'd', MessageBody: 'x', MessageAttributes: { n: { DataType: 'Binary', BinaryValue: 7 } } },
      { Id: 'e', MessageBody: 'x', MessageAttributes: 'text' },
      { Id: 'f', MessageBody: 'x', DelaySeconds: 'soon' },
    ];
    const { status, json } = await sqs('SendMessageBatch', { QueueUrl: queueUrl, Entries: entries });
    expect(status).toBe(200);
    expect((json.Failed as unknown[]).length).toBe(entries.length);
  });
});

describe('SNS and STS query protocol', () => {
  const ACTIONS = [...SNS_ACTIONS, 'GetCallerIdentity'];
  /** Form parameters in shapes the query protocol allows but no client sends for these members. */
  const ODD_PARAMS: Array<Record<string, string>> = [
    { Attributes: 'x' },
    { 'Attributes.entry.1.key': 'FilterPolicy' },
    { 'Attributes.entry.1.value.nested': 'x', 'Attributes.entry.1.key': 'DisplayName' },
    { 'Attributes.entry.x': 'y' },
    { Tags: 'x' },
    { 'Tags.member.1': 'x' },
    { 'Tags.member.1.Value': 'no key' },
    { TagKeys: '' },
    { MessageAttributes: 'x' },
    { 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value': 'not a structure' },
    { 'MessageAttributes.entry.1.Name': 'a', 'MessageAttributes.entry.1.Value.DataType': 'Binary' },
    { PublishBatchRequestEntries: 'x' },
    { 'PublishBatchRequestEntries.member.1': 'x' },
    { 'PublishBatchRequestEntries.member.1.Id': 'a', 'PublishBatchRequestEntries.member.1.Message.x': 'y' },
    { MessageStructure: 'json', Message: 'null' },
    { MessageStructure: 'json', Message: '{"default": 5}' },
    { MessageStructure: 'json', Message: '{"default": "d", "sqs": {"a": 1}}' },
    { AttributeName: 'RedrivePolicy', AttributeValue: 'null' },
    { AttributeName: 'FilterPolicy', AttributeValue: '[]' },
    { AWSAccountId: 'x', ActionName: 'y', Label: 'l' },
    { '__proto__.polluted': 'yes' },
    { 'constructor.prototype.polluted': 'yes' },
  ];

  it.each(ACTIONS)('%s answers odd parameters with a 4xx XML error or a success', async (action) => {
    const arns = [topicArn, `${topicArn}:00000000-0000-0000-0000-000000000000`, 'not-an-arn'];
    const cases = ODD_PARAMS.flatMap((odd) =>
      arns.map((arn) => ({
        Action: action,
        TopicArn: arn,
        ResourceArn: arn,
        SubscriptionArn: arn,
        Name: 'target',
        ...odd,
      })),
    );
    await inParallel(cases, async (params) => {
      const { status, text } = await query(params);
      if (status >= 500 || (status >= 400 && !text.includes('<ErrorResponse'))) {
        throw new Error(`${action} with ${JSON.stringify(params)} answered ${status} ${text}`);
      }
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
