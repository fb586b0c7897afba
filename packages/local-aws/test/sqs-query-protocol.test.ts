// Conformance: SQS over the query protocol (form parameters in, XML out), which the AWS SDK v2, boto3 before 1.31
// and awscli 2.9 still speak. No current SDK does, so the requests are written out by hand (and SigV4-signed).
import { againstLocalAws, openConformanceEndpoint, queryRequest, xmlText } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

const sqs = (params: Record<string, string>, path?: string) => queryRequest(aws, 'sqs', params, path);

async function newQueue(prefix: string, attributes: Record<string, string> = {}): Promise<string> {
  const params: Record<string, string> = { Action: 'CreateQueue', QueueName: aws.uniqueName(prefix) };
  Object.entries(attributes).forEach(([name, value], i) => {
    params[`Attribute.${i + 1}.Name`] = name;
    params[`Attribute.${i + 1}.Value`] = value;
  });
  const created = await sqs(params);
  expect(created.status).toBe(200);
  return xmlText(created.text, 'QueueUrl')!;
}

describe('SQS query protocol', () => {
  it('creates a queue, sends with an attribute and receives it as flattened XML', async () => {
    const queueUrl = await newQueue('legacy', { VisibilityTimeout: '7' });
    expect(queueUrl).toMatch(/\/\d{12}\/legacy-[0-9a-f]+$/);
    const sent = await sqs({
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: 'a & b',
      'MessageAttribute.1.Name': 'kind',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'test',
    });
    expect(sent.text).toMatch(/<SendMessageResult>[\s\S]*<MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody>/);
    const received = await sqs({
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      WaitTimeSeconds: againstLocalAws ? '0' : '5',
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'All',
    });
    expect(xmlText(received.text, 'Body')).toBe('a & b');
    expect(received.text).toMatch(/<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/);
    expect(received.text).toMatch(
      /<MessageAttribute><Name>kind<\/Name><Value><DataType>String<\/DataType><StringValue>test<\/StringValue><\/Value><\/MessageAttribute>/,
    );
    const attributes = await sqs({
      Action: 'GetQueueAttributes',
      QueueUrl: queueUrl,
      'AttributeName.1': 'VisibilityTimeout',
    });
    expect(attributes.text).toMatch(/<Attribute><Name>VisibilityTimeout<\/Name><Value>7<\/Value><\/Attribute>/);
  });

  // SQS message bodies may contain #xD (SQS Developer Guide, "Amazon SQS message quotas": allowed characters
  // #x9 | #xA | #xD | #x20 to #xD7FF | …). An XML parser turns a literal CR into LF, so it must arrive escaped.
  it('returns a body with a carriage return unchanged after XML parsing', async () => {
    const queueUrl = await newQueue('carriage-return');
    const body = 'line one\r\nline two\rend';
    await sqs({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: body });
    const received = await sqs({
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      WaitTimeSeconds: againstLocalAws ? '0' : '5',
    });
    expect(xmlText(received.text, 'Body')).toBe(body);
  });

  // The query protocol's output shapes carry a result wrapper (`resultWrapper` in the service model), which
  // clients such as botocore look up by name even when it has no members.
  it('answers GetQueueAttributes without attribute names with an (empty) GetQueueAttributesResult', async () => {
    const queueUrl = await newQueue('no-names');
    const response = await sqs({ Action: 'GetQueueAttributes', QueueUrl: queueUrl });
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<GetQueueAttributesResult\s*\/>|<GetQueueAttributesResult>/);
  });

  it('answers ListQueues matching nothing with an (empty) ListQueuesResult', async () => {
    const response = await sqs({ Action: 'ListQueues', QueueNamePrefix: aws.uniqueName('nothing-here') });
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/<ListQueuesResult\s*\/>|<ListQueuesResult>/);
    expect(response.text).not.toContain('<QueueUrl>');
  });

  // API_SendMessageBatch: "EmptyBatchRequest — The batch request doesn't contain any entries." An empty list is
  // sent as the bare parameter name (`SendMessageBatchRequestEntry=`) by botocore, or not at all by others.
  it('refuses a batch with no entries, in either form, with EmptyBatchRequest', async () => {
    const queueUrl = await newQueue('empty-batch');
    for (const empty of [{}, { SendMessageBatchRequestEntry: '' }] as Array<Record<string, string>>) {
      const response = await sqs({ Action: 'SendMessageBatch', QueueUrl: queueUrl, ...empty });
      expect(response.status).toBe(400);
      expect(xmlText(response.text, 'Code')).toBe('AWS.SimpleQueueService.EmptyBatchRequest');
    }
  });

  // The query protocol's NonExistentQueue error keeps the wording of its WSDL days.
  it('answers an unknown queue with AWS.SimpleQueueService.NonExistentQueue in the query wording', async () => {
    const missing = await sqs({ Action: 'GetQueueUrl', QueueName: aws.uniqueName('nope') });
    expect(missing.status).toBe(400);
    expect(xmlText(missing.text, 'Code')).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(xmlText(missing.text, 'Message')).toBe('The specified queue does not exist for this wsdl version.');
  });

  it('lists, adds and removes queue tags with Tag.N.Key / Tag.N.Value', async () => {
    const queueUrl = await newQueue('tags');
    await sqs({ Action: 'TagQueue', QueueUrl: queueUrl, 'Tag.1.Key': 'team', 'Tag.1.Value': 'shop' });
    const listed = await sqs({ Action: 'ListQueueTags', QueueUrl: queueUrl });
    expect(listed.text).toMatch(/<Tag><Key>team<\/Key><Value>shop<\/Value><\/Tag>/);
    await sqs({ Action: 'UntagQueue', QueueUrl: queueUrl, 'TagKey.1': 'team' });
    const after = await sqs({ Action: 'ListQueueTags', QueueUrl: queueUrl });
    expect(after.text).toMatch(/<ListQueueTagsResult\s*\/>|<ListQueueTagsResult>\s*<\/ListQueueTagsResult>/);
  });
});
