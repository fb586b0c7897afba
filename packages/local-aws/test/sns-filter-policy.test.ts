// Conformance: subscription filter policies on message attributes and on the message body, and invalid policies.
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { drainQueue, errorOf, openConformanceEndpoint, subscribedQueue } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const num = (value: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(value) });
const list = (values: unknown[]): MessageAttributeValue => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});

interface Case {
  policy: unknown;
  scope?: 'MessageAttributes' | 'MessageBody';
  /** Each message is published with its label as body (attribute scope) or inside the JSON body (body scope). */
  messages: Array<{
    label: string;
    attributes?: Record<string, MessageAttributeValue>;
    body?: unknown;
    delivered: boolean;
  }>;
}

const cases: Record<string, Case> = {
  'exact string': {
    policy: { eventType: ['OrderPlaced', 'OrderShipped'] },
    messages: [
      { label: 'placed', attributes: { eventType: str('OrderPlaced') }, delivered: true },
      { label: 'cancelled', attributes: { eventType: str('OrderCancelled') }, delivered: false },
      { label: 'none', delivered: false },
    ],
  },
  'exact number and numeric range': {
    policy: { price: [{ numeric: ['>=', 10, '<', 20] }, 100] },
    messages: [
      { label: 'ten', attributes: { price: num(10) }, delivered: true },
      { label: 'nineteen', attributes: { price: num(19.5) }, delivered: true },
      { label: 'twenty', attributes: { price: num(20) }, delivered: false },
      { label: 'hundred', attributes: { price: num(100) }, delivered: true },
      { label: 'string-fifteen', attributes: { price: str('15') }, delivered: false },
    ],
  },
  // "For numeric matching, the value can range from -10^9 to 10^9 (-1 billion to 1 billion), with five digits of
  // precision after the decimal point." (SNS Developer Guide, "Filter policy constraints in Amazon SNS")
  'numbers compared with five digits of precision after the decimal point': {
    policy: { price: [{ numeric: ['=', 100.000001] }], fee: [{ numeric: ['>', 0] }] },
    messages: [
      { label: 'hundred-tiny-fee', attributes: { price: num(100), fee: num(0.000001) }, delivered: false },
      { label: 'hundred-fee', attributes: { price: num(100), fee: num(0.00001) }, delivered: true },
      { label: 'exact-price', attributes: { price: num(100.000001), fee: num(1) }, delivered: true },
      { label: 'other-price', attributes: { price: num(100.00001), fee: num(1) }, delivered: false },
    ],
  },
  'prefix and suffix': {
    policy: { region: [{ prefix: 'eu-' }], file: [{ suffix: '.png' }] },
    messages: [
      { label: 'both', attributes: { region: str('eu-west-1'), file: str('a.png') }, delivered: true },
      { label: 'wrong-suffix', attributes: { region: str('eu-west-1'), file: str('a.jpg') }, delivered: false },
      { label: 'wrong-prefix', attributes: { region: str('us-east-1'), file: str('a.png') }, delivered: false },
    ],
  },
  'anything-but list, anything-but prefix': {
    policy: {
      eventType: [{ 'anything-but': ['Test', 'Debug'] }],
      source: [{ 'anything-but': { prefix: 'internal-' } }],
    },
    messages: [
      { label: 'real', attributes: { eventType: str('OrderPlaced'), source: str('web') }, delivered: true },
      { label: 'test', attributes: { eventType: str('Test'), source: str('web') }, delivered: false },
      {
        label: 'internal',
        attributes: { eventType: str('OrderPlaced'), source: str('internal-job') },
        delivered: false,
      },
      { label: 'missing', attributes: { source: str('web') }, delivered: false },
    ],
  },
  'exists true and false': {
    policy: { tenant: [{ exists: true }], debug: [{ exists: false }] },
    messages: [
      { label: 'tenant-only', attributes: { tenant: str('t1') }, delivered: true },
      { label: 'with-debug', attributes: { tenant: str('t1'), debug: str('1') }, delivered: false },
      { label: 'nothing', delivered: false },
    ],
  },
  'equals-ignore-case': {
    policy: { status: [{ 'equals-ignore-case': 'PAID' }] },
    messages: [
      { label: 'lower', attributes: { status: str('paid') }, delivered: true },
      { label: 'other', attributes: { status: str('unpaid') }, delivered: false },
    ],
  },
  '$or of attribute conditions': {
    policy: { source: ['shop'], $or: [{ eventType: ['OrderPlaced'] }, { total: [{ numeric: ['>', 100] }] }] },
    messages: [
      { label: 'placed', attributes: { source: str('shop'), eventType: str('OrderPlaced') }, delivered: true },
      { label: 'big', attributes: { source: str('shop'), eventType: str('Other'), total: num(500) }, delivered: true },
      { label: 'small', attributes: { source: str('shop'), eventType: str('Other'), total: num(5) }, delivered: false },
      { label: 'wrong-source', attributes: { source: str('pos'), eventType: str('OrderPlaced') }, delivered: false },
    ],
  },
  'String.Array attribute matches any element': {
    policy: { colors: ['red'] },
    messages: [
      { label: 'has-red', attributes: { colors: list(['blue', 'red']) }, delivered: true },
      { label: 'no-red', attributes: { colors: list(['blue']) }, delivered: false },
    ],
  },
  'nested keys on the message body': {
    scope: 'MessageBody',
    policy: {
      detail: { status: ['paid'], amount: [{ numeric: ['>', 0] }] },
      $or: [{ kind: ['order'] }, { kind: ['refund'] }],
    },
    messages: [
      { label: 'paid', body: { kind: 'order', detail: { status: 'paid', amount: 5 } }, delivered: true },
      { label: 'refund', body: { kind: 'refund', detail: { status: 'paid', amount: 1 } }, delivered: true },
      { label: 'pending', body: { kind: 'order', detail: { status: 'pending', amount: 5 } }, delivered: false },
      { label: 'zero', body: { kind: 'order', detail: { status: 'paid', amount: 0 } }, delivered: false },
      { label: 'not-json', body: undefined, delivered: false },
    ],
  },
  'body arrays match any element': {
    scope: 'MessageBody',
    policy: { items: { sku: [{ prefix: 'SKU-9' }] } },
    messages: [
      { label: 'has-nine', body: { items: [{ sku: 'SKU-1' }, { sku: 'SKU-99' }] }, delivered: true },
      { label: 'no-nine', body: { items: [{ sku: 'SKU-1' }] }, delivered: false },
    ],
  },
};

describe('filter policies', () => {
  it.each(Object.entries(cases))('%s', async (_name, testCase) => {
    const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: aws.uniqueName('filter') }));
    const { queueUrl } = await subscribedQueue(aws, TopicArn!, {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify(testCase.policy),
      FilterPolicyScope: testCase.scope ?? 'MessageAttributes',
    });
    for (const message of testCase.messages) {
      const body =
        testCase.scope === 'MessageBody'
          ? message.body === undefined
            ? `not json ${message.label}`
            : JSON.stringify({ label: message.label, ...(message.body as object) })
          : message.label;
      await aws.sns.send(new PublishCommand({ TopicArn, Message: body, MessageAttributes: message.attributes }));
    }
    const delivered = (await drainQueue(aws, queueUrl)).map((m) =>
      testCase.scope === 'MessageBody' ? (JSON.parse(m.Body!) as { label: string }).label : m.Body,
    );
    const expected = testCase.messages.filter((m) => m.delivered).map((m) => m.label);
    expect(delivered.sort()).toEqual(expected.sort());
  });

  it.each([
    ['not JSON', '{oops'],
    ['an unknown operator', JSON.stringify({ a: [{ prefx: 'x' }] })],
    ['a non-numeric bound', JSON.stringify({ a: [{ numeric: ['>', 'ten'] }] })],
    ['a nested key without MessageBody scope', JSON.stringify({ a: { b: ['x'] } })],
    ['more than 5 keys', JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] })],
  ])('rejects a policy with %s as InvalidParameter', async (_name, policy) => {
    const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: aws.uniqueName('bad-filter') }));
    const error = await errorOf(
      aws.sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:any-queue',
          Attributes: { FilterPolicy: policy },
        }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(/^Invalid parameter: FilterPolicy: /);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  // Subscribe validates its request before it compares it with an existing subscription, so a broken policy is
  // reported as the policy error, not as "Subscription already exists with different attributes".
  it('reports an invalid filter policy as such when the subscription already exists', async () => {
    const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: aws.uniqueName('resubscribe') }));
    const { queueArn } = await subscribedQueue(aws, TopicArn!, { FilterPolicy: JSON.stringify({ a: ['x'] }) });
    const error = await errorOf(
      aws.sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { FilterPolicy: '{oops' } }),
      ),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toMatch(/^Invalid parameter: FilterPolicy: /);
  });
});
