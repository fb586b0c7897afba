// Conformance: SNS topics and subscriptions over the query protocol, through @aws-sdk/client-sns only.
import {
  AddPermissionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  RemovePermissionCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { errorOf, openConformanceEndpoint, subscribedQueue } from './support/conformance-endpoint';
import type { ConformanceEndpoint } from './support/conformance-endpoint';

let aws: ConformanceEndpoint;
beforeAll(async () => {
  aws = await openConformanceEndpoint();
});
afterAll(() => aws.close());

async function newTopic(prefix = 'topic'): Promise<string> {
  const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: aws.uniqueName(prefix) }));
  return TopicArn!;
}

describe('topics', () => {
  it('creates a topic idempotently with an ARN in AWS form, lists and deletes it', async () => {
    const name = aws.uniqueName('orders');
    const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: name }));
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:000000000000:${name}`);
    const again = await aws.sns.send(new CreateTopicCommand({ Name: name }));
    expect(again.TopicArn).toBe(TopicArn);
    const listed = await aws.sns.send(new ListTopicsCommand({}));
    expect(listed.Topics?.map((t) => t.TopicArn)).toContain(TopicArn);
    await aws.sns.send(new DeleteTopicCommand({ TopicArn }));
    const error = await errorOf(aws.sns.send(new GetTopicAttributesCommand({ TopicArn })));
    expect(error.name).toBe('NotFoundException');
    expect(error.message).toBe('Topic does not exist');
  });

  it('gets and sets topic attributes', async () => {
    const TopicArn = await newTopic();
    await aws.sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Orders' }),
    );
    const { Attributes } = await aws.sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({ TopicArn, DisplayName: 'Orders', Owner: '000000000000' });
    expect(JSON.parse(Attributes!.Policy!)).toHaveProperty('Statement');
  });

  it('rejects an invalid topic name with InvalidParameter', async () => {
    const error = await errorOf(aws.sns.send(new CreateTopicCommand({ Name: 'not valid!' })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe('Invalid parameter: Topic Name');
  });

  it('creates FIFO topics only with a .fifo name', async () => {
    const name = `${aws.uniqueName('fifo')}.fifo`;
    const { TopicArn } = await aws.sns.send(new CreateTopicCommand({ Name: name, Attributes: { FifoTopic: 'true' } }));
    const { Attributes } = await aws.sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes?.FifoTopic).toBe('true');
    const error = await errorOf(
      aws.sns.send(new CreateTopicCommand({ Name: aws.uniqueName('plain'), Attributes: { FifoTopic: 'true' } })),
    );
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('subscriptions', () => {
  it('subscribes a queue (confirmed at once), lists it by topic and overall, and unsubscribes', async () => {
    const TopicArn = await newTopic();
    const { queueArn, subscriptionArn } = await subscribedQueue(aws, TopicArn);
    expect(subscriptionArn.startsWith(`${TopicArn}:`)).toBe(true);
    const byTopic = await aws.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(byTopic.Subscriptions).toEqual([
      { SubscriptionArn: subscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: queueArn, TopicArn },
    ]);
    const all = await aws.sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions?.map((s) => s.SubscriptionArn)).toContain(subscriptionArn);
    const again = await aws.sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn, ReturnSubscriptionArn: true }),
    );
    expect(again.SubscriptionArn).toBe(subscriptionArn);
    await aws.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    const after = await aws.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(after.Subscriptions ?? []).toEqual([]);
  });

  it('gets and sets subscription attributes (RawMessageDelivery, FilterPolicy, FilterPolicyScope)', async () => {
    const TopicArn = await newTopic();
    const { subscriptionArn } = await subscribedQueue(aws, TopicArn, { RawMessageDelivery: 'true' });
    const policy = JSON.stringify({ detail: { status: ['paid'] } });
    await aws.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'FilterPolicyScope',
        AttributeValue: 'MessageBody',
      }),
    );
    await aws.sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn: subscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: policy,
      }),
    );
    const { Attributes } = await aws.sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }),
    );
    expect(Attributes).toMatchObject({
      SubscriptionArn: subscriptionArn,
      TopicArn,
      Protocol: 'sqs',
      RawMessageDelivery: 'true',
      FilterPolicyScope: 'MessageBody',
      PendingConfirmation: 'false',
    });
    expect(JSON.parse(Attributes!.FilterPolicy!)).toEqual({ detail: { status: ['paid'] } });
  });

  it('refuses to subscribe to a topic that does not exist', async () => {
    const error = await errorOf(
      aws.sns.send(
        new SubscribeCommand({
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing-topic-xyz',
          Protocol: 'sqs',
          Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q',
        }),
      ),
    );
    expect(error.name).toBe('NotFoundException');
  });

  it('answers NotFound for an unknown subscription', async () => {
    const TopicArn = await newTopic();
    const error = await errorOf(
      aws.sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-0000-0000-000000000000` }),
      ),
    );
    expect(error.name).toBe('NotFoundException');
  });
});

// API_TagResource / API_ListTagsForResource / API_UntagResource; CreateTopic's Tags: "The list of tags to add to
// a new topic." "A new tag with a key identical to that of an existing tag overwrites the existing tag."
describe('topic tags', () => {
  it('tags a topic at creation, overwrites and removes tags, and lists them', async () => {
    const { TopicArn } = await aws.sns.send(
      new CreateTopicCommand({ Name: aws.uniqueName('tagged'), Tags: [{ Key: 'team', Value: 'orders' }] }),
    );
    const listed = await aws.sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(listed.Tags).toEqual([{ Key: 'team', Value: 'orders' }]);
    await aws.sns.send(
      new TagResourceCommand({
        ResourceArn: TopicArn,
        Tags: [
          { Key: 'team', Value: 'payments' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    await aws.sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['env'] }));
    const after = await aws.sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    expect(after.Tags).toEqual([{ Key: 'team', Value: 'payments' }]);
  });

  it('answers ResourceNotFound for tags of a topic that does not exist', async () => {
    const error = await errorOf(
      aws.sns.send(
        new ListTagsForResourceCommand({
          ResourceArn: `arn:aws:sns:${aws.region}:000000000000:${aws.uniqueName('no')}`,
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

// API_AddPermission: "Adds a statement to a topic's access control policy, granting access for the specified AWS
// accounts to the specified actions." API_RemovePermission: "Removes a statement from a topic's access control
// policy." The statement's Sid is the Label.
describe('topic permissions', () => {
  it('adds a labelled statement to the topic Policy and removes it again', async () => {
    const TopicArn = await newTopic('shared');
    await aws.sns.send(
      new AddPermissionCommand({
        TopicArn,
        Label: 'LetPartnerPublish',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    const statements = async () => {
      const { Attributes } = await aws.sns.send(new GetTopicAttributesCommand({ TopicArn }));
      return (JSON.parse(Attributes!.Policy!) as { Statement: Array<Record<string, unknown>> }).Statement;
    };
    const added = (await statements()).find((statement) => statement.Sid === 'LetPartnerPublish');
    expect(added).toMatchObject({ Effect: 'Allow', Resource: TopicArn });
    expect(JSON.stringify(added!.Principal)).toContain('111122223333');
    expect(JSON.stringify(added!.Action)).toContain('SNS:Publish');
    await aws.sns.send(new RemovePermissionCommand({ TopicArn, Label: 'LetPartnerPublish' }));
    expect((await statements()).map((statement) => statement.Sid)).not.toContain('LetPartnerPublish');
  });
});

// A topic ARN names a topic in one region; a client talking to another region's endpoint cannot use it
// (AWS answers "InvalidParameter: Invalid parameter: TopicArn").
describe('ARNs of another region', () => {
  it('refuses a topic ARN of another region', async () => {
    const elsewhere = aws.region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1';
    const { TopicArn } = await aws
      .inRegion(elsewhere)
      .sns.send(new CreateTopicCommand({ Name: aws.uniqueName('far') }));
    const publish = await errorOf(aws.sns.send(new PublishCommand({ TopicArn, Message: 'x' })));
    expect(publish.name).toBe('InvalidParameterException');
    expect(publish.message).toBe('Invalid parameter: TopicArn');
    const attributes = await errorOf(aws.sns.send(new GetTopicAttributesCommand({ TopicArn })));
    expect(attributes.name).toBe('InvalidParameterException');
  });
});
