// The SQS query protocol (AWS SDK v2, older boto3) and the /_local endpoints, over plain HTTP: no current SDK
// speaks the query protocol to SQS any more, so these requests are written out by hand.
import { startLocalAws } from '../src';
import type { LocalAws } from '../src';

let local: LocalAws;
beforeAll(async () => {
  local = await startLocalAws({ port: 0 });
});
afterAll(() => local.close());

async function query(params: Record<string, string>): Promise<{ status: number; xml: string }> {
  const response = await fetch(local.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
  return { status: response.status, xml: await response.text() };
}

describe('SQS query protocol', () => {
  it('creates a queue, sends with an attribute and receives it as flattened XML', async () => {
    const created = await query({
      Action: 'CreateQueue',
      QueueName: 'legacy',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '7',
    });
    const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(created.xml)![1];
    expect(queueUrl).toMatch(/\/000000000000\/legacy$/);
    const sent = await query({
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: 'a & b',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'test',
    });
    expect(sent.xml).toMatch(
      /<SendMessageResult><MessageId>[^<]+<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/,
    );
    const received = await query({
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
    });
    expect(received.xml).toContain('<Body>a &amp; b</Body>');
    expect(received.xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(received.xml).toContain(
      '<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>test</StringValue></Value></MessageAttribute>',
    );
    const attributes = await query({
      Action: 'GetQueueAttributes',
      QueueUrl: queueUrl,
      'AttributeName.1': 'VisibilityTimeout',
    });
    expect(attributes.xml).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>7</Value></Attribute>');
  });

  it('answers errors with the query error code', async () => {
    const missing = await query({ Action: 'GetQueueUrl', QueueName: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.xml).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });
});

describe('/_local endpoints', () => {
  it('reports health and the state of topics, subscriptions and queues', async () => {
    expect((await fetch(`${local.endpoint}/_local/health`)).status).toBe(200);
    const { xml } = await query({ Action: 'CreateQueue', QueueName: 'state-demo' });
    const queueUrl = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(xml)![1];
    await query({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'x' });
    await query({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'y', DelaySeconds: '60' });
    const state = (await (await fetch(`${local.endpoint}/_local/state`)).json()) as {
      queues: Array<{ name: string; visible: number; inFlight: number; delayed: number }>;
      topics: unknown[];
      subscriptions: unknown[];
    };
    expect(state.queues.find((q) => q.name === 'state-demo')).toMatchObject({ visible: 1, inFlight: 0, delayed: 1 });
    expect(state.topics).toEqual([]);
    expect(state.subscriptions).toEqual([]);
  });
});
