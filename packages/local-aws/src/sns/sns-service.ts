// The SNS operations (topics, subscriptions, tags, permissions, publish) with synchronous delivery to SQS
// subscribers: by the time Publish answers, every matching queue holds the message.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error';
import type { Clock } from '@shop/clock';
import { policyWithStatement, policyWithoutStatement } from '../policy-statements';
import { XmlMap } from '../query-protocol';
import type { XmlValue } from '../query-protocol';
import { ACCOUNT_ID } from '../request-context';
import type { RequestContext } from '../request-context';
import { md5Hex } from '../sqs/md5';
import type { SqsService } from '../sqs/sqs-service';
import { mergedTags, withoutTags } from '../tags';
import { matchesFilterPolicy } from './filter-policy';
import type { FilterPolicy } from './filter-policy';
import { envelopeAttributes, notificationEnvelope } from './notification';
import type { PublishedMessage } from './notification';
import { parsePublishAttributes } from './publish-attributes';
import {
  invalidParameter,
  notFound,
  optionalList,
  optionalStringMap,
  required,
  requiredStringList,
  tagList,
} from './sns-errors';
import { changedSubscriptionAttributes, deadLetterTargetOf } from './subscription-attributes';
import { defaultTopicPolicy, topicPermissionStatement } from './topic-policy';

type Input = Record<string, unknown>;
type Output = { [name: string]: XmlValue };

interface Topic {
  arn: string;
  name: string;
  region: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  sequence: bigint;
  deduplication: Map<string, { messageId: string; expiresAt: number }>;
}

interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  filter?: FilterPolicy;
}

/** Topics and subscriptions as the state file keeps them. */
export interface SnsSnapshot {
  topics: Array<
    Omit<Topic, 'sequence' | 'deduplication'> & {
      sequence: string;
      deduplication: Array<[string, { messageId: string; expiresAt: number }]>;
    }
  >;
  subscriptions: Array<Omit<Subscription, 'filter'>>;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const SETTABLE_TOPIC_ATTRIBUTES = new Set([
  'DisplayName',
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'DataProtectionPolicy',
  'FifoThroughputScope',
]);
/** Topic attributes that an empty value removes (Policy then reads as the default policy again). */
const REMOVABLE_TOPIC_ATTRIBUTES = new Set([
  'Policy',
  'DeliveryPolicy',
  'KmsMasterKeyId',
  'ArchivePolicy',
  'DataProtectionPolicy',
]);
const PROTOCOLS = new Set(['sqs', 'http', 'https', 'email', 'email-json', 'sms', 'lambda', 'application', 'firehose']);
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_BATCH_ENTRIES = 10;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

export class SnsService {
  private readonly topics = new Map<string, Topic>();
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(
    private readonly sqs: SqsService,
    private readonly clock: Clock,
  ) {}

  // ---- topics -------------------------------------------------------------------------------------------------

  CreateTopic(input: Input, ctx: RequestContext): Output {
    const name = required(input, 'Name');
    const attributes = optionalStringMap(input, 'Attributes');
    const tags = tagList(input, 'Tags');
    const fifo = name.endsWith('.fifo');
    if (!TOPIC_NAME.test(fifo ? name.slice(0, -5) : name)) {
      throw invalidParameter('Topic Name');
    }
    if ((attributes.FifoTopic === 'true') !== fifo) {
      throw invalidParameter(
        'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
      );
    }
    for (const key of Object.keys(attributes)) {
      if (!SETTABLE_TOPIC_ATTRIBUTES.has(key) && key !== 'FifoTopic')
        throw invalidParameter(`Attributes Reason: Unknown attribute ${key}`);
    }
    const merged = mergedTags({}, tags);
    if ('problem' in merged) throw tagError(merged);
    const arn = `arn:aws:sns:${ctx.region}:${ACCOUNT_ID}:${name}`;
    const existing = this.topics.get(arn);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if (existing.attributes[key] !== value)
          throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
      }
      for (const [key, value] of Object.entries(tags)) {
        if (existing.tags[key] !== value)
          throw invalidParameter('Tags Reason: Topic already exists with different tags');
      }
      return { CreateTopicResult: { TopicArn: arn } };
    }
    this.topics.set(arn, {
      arn,
      name,
      region: ctx.region,
      fifo,
      attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false', ...attributes } : { ...attributes },
      tags: merged.tags,
      sequence: 0n,
      deduplication: new Map(),
    });
    return { CreateTopicResult: { TopicArn: arn } };
  }

  /** Idempotent, as on AWS: deleting a topic that does not exist succeeds. */
  DeleteTopic(input: Input, ctx: RequestContext): Output {
    const arn = arnInRegion(required(input, 'TopicArn'), ctx, 'TopicArn');
    this.topics.delete(arn);
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn === arn) this.subscriptions.delete(subscription.arn);
    }
    return {};
  }

  ListTopics(input: Input, ctx: RequestContext): Output {
    const arns = [...this.topics.values()].filter((topic) => topic.region === ctx.region).map((topic) => topic.arn);
    const { page, nextToken } = paginate(arns, input.NextToken, 100);
    return { ListTopicsResult: { Topics: page.map((TopicArn) => ({ TopicArn })), NextToken: nextToken } };
  }

  GetTopicAttributes(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const subscriptions = [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn);
    const attributes: Record<string, string> = {
      TopicArn: topic.arn,
      Owner: ACCOUNT_ID,
      DisplayName: '',
      Policy: JSON.stringify(defaultTopicPolicy(topic.arn)),
      SubscriptionsConfirmed: String(subscriptions.filter((s) => s.protocol === 'sqs').length),
      SubscriptionsPending: String(subscriptions.filter((s) => s.protocol !== 'sqs').length),
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: JSON.stringify({
        http: {
          defaultHealthyRetryPolicy: {
            minDelayTarget: 20,
            maxDelayTarget: 20,
            numRetries: 3,
            numMaxDelayRetries: 0,
            numNoDelayRetries: 0,
            numMinDelayRetries: 0,
            backoffFunction: 'linear',
          },
          disableSubscriptionOverrides: false,
        },
      }),
      ...topic.attributes,
    };
    return { GetTopicAttributesResult: { Attributes: new XmlMap(attributes) } };
  }

  SetTopicAttributes(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const name = required(input, 'AttributeName');
    if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
    const value = typeof input.AttributeValue === 'string' ? input.AttributeValue : '';
    if (value === '' && REMOVABLE_TOPIC_ATTRIBUTES.has(name)) delete topic.attributes[name];
    else topic.attributes[name] = value;
    return {};
  }

  // ---- tags and permissions -----------------------------------------------------------------------------------

  TagResource(input: Input, ctx: RequestContext): Output {
    const topic = this.taggedTopic(input, ctx);
    const merged = mergedTags(topic.tags, tagList(input, 'Tags'));
    if ('problem' in merged) throw tagError(merged);
    topic.tags = merged.tags;
    return { TagResourceResult: {} };
  }

  UntagResource(input: Input, ctx: RequestContext): Output {
    const topic = this.taggedTopic(input, ctx);
    topic.tags = withoutTags(topic.tags, requiredStringList(input, 'TagKeys'));
    return { UntagResourceResult: {} };
  }

  ListTagsForResource(input: Input, ctx: RequestContext): Output {
    const topic = this.taggedTopic(input, ctx);
    const tags = Object.entries(topic.tags).map(([Key, Value]) => ({ Key, Value }));
    return { ListTagsForResourceResult: { Tags: tags } };
  }

  /** Adds a labelled statement to the topic's Policy attribute (policies are stored, never enforced). */
  AddPermission(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const label = required(input, 'Label');
    const statement = topicPermissionStatement(
      topic.arn,
      label,
      requiredStringList(input, 'AWSAccountId'),
      requiredStringList(input, 'ActionName'),
    );
    const policy = policyWithStatement(topic.attributes.Policy, () => defaultTopicPolicy(topic.arn), statement);
    if (!policy) throw invalidParameter('Statement already exists');
    topic.attributes.Policy = policy;
    return {};
  }

  RemovePermission(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const label = required(input, 'Label');
    const current = topic.attributes.Policy ?? JSON.stringify(defaultTopicPolicy(topic.arn));
    const removed = policyWithoutStatement(current, label);
    if (!removed) throw invalidParameter(`Label Reason: no statement with label ${label}`);
    topic.attributes.Policy = removed.policy ?? JSON.stringify({ ...defaultTopicPolicy(topic.arn), Statement: [] });
    return {};
  }

  // ---- subscriptions ------------------------------------------------------------------------------------------

  Subscribe(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const protocol = required(input, 'Protocol');
    const endpoint = typeof input.Endpoint === 'string' ? input.Endpoint : '';
    const requested = optionalStringMap(input, 'Attributes');
    if (!PROTOCOLS.has(protocol)) {
      throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
    }
    if (protocol === 'sqs' && !/^arn:aws:sqs:[^:]+:\d{12}:[^:]+$/.test(endpoint))
      throw invalidParameter('SQS endpoint ARN');
    // The attributes are validated first: an invalid filter policy is reported as such, even for a subscription
    // that exists already.
    const { attributes, filter } = changedSubscriptionAttributes({}, requested);
    const existing = [...this.subscriptions.values()].find(
      (s) => s.topicArn === topic.arn && s.protocol === protocol && s.endpoint === endpoint,
    );
    if (existing) {
      for (const [name, value] of Object.entries(requested)) {
        if ((existing.attributes[name] ?? '') !== value) {
          throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
        }
      }
      return { SubscribeResult: { SubscriptionArn: existing.arn } };
    }
    const subscription: Subscription = {
      arn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol,
      endpoint,
      attributes,
      filter,
    };
    this.subscriptions.set(subscription.arn, subscription);
    // Only SQS delivery is emulated; other protocols would wait for a confirmation that never comes.
    const confirmed = protocol === 'sqs' || input.ReturnSubscriptionArn === 'true';
    return { SubscribeResult: { SubscriptionArn: confirmed ? subscription.arn : 'pending confirmation' } };
  }

  Unsubscribe(input: Input, ctx: RequestContext): Output {
    const arn = arnInRegion(required(input, 'SubscriptionArn'), ctx, 'SubscriptionArn');
    if (!this.subscriptions.delete(arn)) throw notFound('Subscription does not exist');
    return {};
  }

  ListSubscriptions(input: Input, ctx: RequestContext): Output {
    const all = [...this.subscriptions.values()].filter((s) => s.topicArn.startsWith(`arn:aws:sns:${ctx.region}:`));
    const { page, nextToken } = paginate(all, input.NextToken, 100);
    return { ListSubscriptionsResult: { Subscriptions: page.map(renderSubscription), NextToken: nextToken } };
  }

  ListSubscriptionsByTopic(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const all = [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn);
    const { page, nextToken } = paginate(all, input.NextToken, 100);
    return { ListSubscriptionsByTopicResult: { Subscriptions: page.map(renderSubscription), NextToken: nextToken } };
  }

  GetSubscriptionAttributes(input: Input, ctx: RequestContext): Output {
    const subscription = this.subscriptionFor(input, ctx);
    const attributes: Record<string, string> = {
      SubscriptionArn: subscription.arn,
      TopicArn: subscription.topicArn,
      Owner: ACCOUNT_ID,
      Protocol: subscription.protocol,
      Endpoint: subscription.endpoint,
      ConfirmationWasAuthenticated: 'true',
      PendingConfirmation: 'false',
      RawMessageDelivery: 'false',
      ...subscription.attributes,
    };
    if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';
    return { GetSubscriptionAttributesResult: { Attributes: new XmlMap(attributes) } };
  }

  SetSubscriptionAttributes(input: Input, ctx: RequestContext): Output {
    const subscription = this.subscriptionFor(input, ctx);
    const name = required(input, 'AttributeName');
    const value = typeof input.AttributeValue === 'string' ? input.AttributeValue : '';
    const { attributes, filter } = changedSubscriptionAttributes(subscription.attributes, { [name]: value });
    subscription.attributes = attributes;
    subscription.filter = filter;
    return {};
  }

  // ---- publishing ---------------------------------------------------------------------------------------------

  Publish(input: Input, ctx: RequestContext): Output {
    const parameter = input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn';
    const given = input[parameter];
    if (given === undefined) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    const topic = this.topics.get(arnInRegion(required(input, parameter), ctx, parameter));
    if (!topic) throw notFound('Topic does not exist');
    const result = this.publish(topic, input);
    return { PublishResult: { MessageId: result.messageId, SequenceNumber: result.sequenceNumber } };
  }

  PublishBatch(input: Input, ctx: RequestContext): Output {
    const topic = this.topicFor(input, ctx);
    const entries = optionalList(input, 'PublishBatchRequestEntries');
    if (entries.length === 0) {
      throw new AwsError('EmptyBatchRequestException', "The batch request doesn't contain any entries.", {
        queryCode: 'EmptyBatchRequest',
      });
    }
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new AwsError(
        'TooManyEntriesInBatchRequestException',
        'The batch request contains more entries than permissible.',
        { queryCode: 'TooManyEntriesInBatchRequest' },
      );
    }
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = typeof entry === 'object' && entry !== null ? (entry as Input).Id : undefined;
      if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
        throw new AwsError(
          'InvalidBatchEntryIdException',
          "The Id of a batch entry in a batch request doesn't abide by the specification.",
          { queryCode: 'InvalidBatchEntryId' },
        );
      }
      if (ids.has(id)) {
        throw new AwsError(
          'BatchEntryIdsNotDistinctException',
          'Two or more batch entries in the request have the same Id.',
          { queryCode: 'BatchEntryIdsNotDistinct' },
        );
      }
      ids.add(id);
    }
    const batch = entries as Input[];
    const total = batch.reduce(
      (sum, entry) => sum + (typeof entry.Message === 'string' ? Buffer.byteLength(entry.Message) : 0),
      0,
    );
    if (total > MAX_MESSAGE_BYTES) {
      throw new AwsError(
        'BatchRequestTooLongException',
        'The length of all the messages put together is more than the limit.',
        { queryCode: 'BatchRequestTooLong' },
      );
    }
    const successful: XmlValue[] = [];
    const failed: XmlValue[] = [];
    for (const entry of batch) {
      try {
        const result = this.publish(topic, entry);
        successful.push({ Id: entry.Id as string, MessageId: result.messageId, SequenceNumber: result.sequenceNumber });
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        failed.push({
          Id: entry.Id as string,
          Code: error.queryCode,
          Message: error.message,
          SenderFault: error.fault === 'Sender',
        });
      }
    }
    return { PublishBatchResult: { Successful: successful, Failed: failed } };
  }

  // ---- the admin API and the state file -----------------------------------------------------------------------

  state(): { topics: Array<{ arn: string; subscriptions: number }>; subscriptions: Array<Record<string, string>> } {
    return {
      topics: [...this.topics.values()].map((topic) => ({
        arn: topic.arn,
        subscriptions: [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn).length,
      })),
      subscriptions: [...this.subscriptions.values()].map((s) => ({
        arn: s.arn,
        topicArn: s.topicArn,
        protocol: s.protocol,
        endpoint: s.endpoint,
        ...s.attributes,
      })),
    };
  }

  /** Forgets every topic and subscription. */
  reset(): void {
    this.topics.clear();
    this.subscriptions.clear();
  }

  /** Clears one topic's FIFO deduplication ids (by name or ARN); returns its ARN, or undefined if unknown. */
  resetTopic(nameOrArn: string, region: string): string | undefined {
    const arn = nameOrArn.startsWith('arn:') ? nameOrArn : `arn:aws:sns:${region}:${ACCOUNT_ID}:${nameOrArn}`;
    const topic = this.topics.get(arn);
    topic?.deduplication.clear();
    return topic?.arn;
  }

  snapshot(): SnsSnapshot {
    return {
      topics: [...this.topics.values()].map((topic) => ({
        ...topic,
        sequence: topic.sequence.toString(),
        deduplication: [...topic.deduplication],
      })),
      subscriptions: [...this.subscriptions.values()].map(({ filter: _filter, ...subscription }) => subscription),
    };
  }

  restore(snapshot: SnsSnapshot): void {
    for (const topic of snapshot.topics) {
      this.topics.set(topic.arn, {
        ...topic,
        sequence: BigInt(topic.sequence),
        deduplication: new Map(topic.deduplication),
      });
    }
    for (const saved of snapshot.subscriptions) {
      const { attributes, filter } = changedSubscriptionAttributes({}, saved.attributes);
      this.subscriptions.set(saved.arn, { ...saved, attributes, filter });
    }
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private publish(topic: Topic, input: Input): { messageId: string; sequenceNumber?: string } {
    const message = input.Message;
    if (typeof message !== 'string' || message === '') throw invalidParameter('Empty message');
    if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
    const subject = typeof input.Subject === 'string' ? input.Subject : undefined;
    if (subject !== undefined && (subject.length === 0 || subject.length > 100 || /[^\x20-\x7e]/.test(subject))) {
      throw invalidParameter('Subject');
    }
    const structured = input.MessageStructure === 'json' ? parseStructuredMessage(message) : undefined;
    const attributes = parsePublishAttributes(input.MessageAttributes);
    const groupId = typeof input.MessageGroupId === 'string' ? input.MessageGroupId : undefined;
    let deduplicationId = typeof input.MessageDeduplicationId === 'string' ? input.MessageDeduplicationId : undefined;
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      if (!groupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
      if (!deduplicationId) {
        if (topic.attributes.ContentBasedDeduplication !== 'true') {
          throw invalidParameter(
            'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = md5Hex(message);
      }
      const now = this.clock.now();
      const duplicate = topic.deduplication.get(deduplicationId);
      if (duplicate && duplicate.expiresAt > now) return { messageId: duplicate.messageId };
      topic.sequence += 1n;
      sequenceNumber = (10_000_000_000_000_000_000n + topic.sequence).toString();
    } else if (deduplicationId) {
      throw invalidParameter(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    const published: PublishedMessage = {
      messageId: randomUUID(),
      topicArn: topic.arn,
      region: topic.region,
      message,
      subject,
      attributes,
      timestamp: new Date(this.clock.now()),
      groupId,
      deduplicationId,
      sequenceNumber,
    };
    if (topic.fifo && deduplicationId) {
      topic.deduplication.set(deduplicationId, {
        messageId: published.messageId,
        expiresAt: this.clock.now() + DEDUPLICATION_WINDOW_MS,
      });
      pruneExpired(topic.deduplication, this.clock.now());
    }
    this.deliver(published, structured);
    return { messageId: published.messageId, sequenceNumber };
  }

  private deliver(published: PublishedMessage, structured: Record<string, string> | undefined): void {
    // With MessageStructure=json each protocol gets its own text: SQS subscribers the `sqs` key, else `default`.
    const message = structured ? (structured.sqs ?? structured.default) : published.message;
    const forSubscriber = { ...published, message };
    const filterable = { body: message, attributes: envelopeAttributes(published.attributes) };
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn !== published.topicArn || subscription.protocol !== 'sqs') continue;
      if (subscription.filter && !matchesFilterPolicy(subscription.filter, filterable)) continue;
      const raw = subscription.attributes.RawMessageDelivery === 'true';
      const body = raw ? message : notificationEnvelope(forSubscriber, subscription.arn);
      const queue = this.sqs.queueByArn(subscription.endpoint) ?? this.deadLetterQueue(subscription);
      if (!queue) continue; // AWS drops a delivery to a missing queue after its retries
      this.sqs.deliver(
        queue,
        body,
        raw ? published.attributes : {},
        SNS_SENDER_ID,
        published.groupId,
        published.deduplicationId,
      );
    }
  }

  /** The subscription's RedrivePolicy catches messages SNS could not deliver (here: the queue is gone). */
  private deadLetterQueue(subscription: Subscription) {
    const target = deadLetterTargetOf(subscription.attributes);
    return target ? this.sqs.queueByArn(target) : undefined;
  }

  private topicFor(input: Input, ctx: RequestContext): Topic {
    const topic = this.topics.get(arnInRegion(required(input, 'TopicArn'), ctx, 'TopicArn'));
    if (!topic) throw notFound('Topic does not exist');
    return topic;
  }

  /** The topic named by a tagging request's ResourceArn (topics are the only taggable SNS resource here). */
  private taggedTopic(input: Input, ctx: RequestContext): Topic {
    const topic = this.topics.get(arnInRegion(required(input, 'ResourceArn'), ctx, 'ResourceArn'));
    if (!topic) {
      throw new AwsError('ResourceNotFoundException', 'Resource does not exist', {
        status: 404,
        queryCode: 'ResourceNotFound',
      });
    }
    return topic;
  }

  private subscriptionFor(input: Input, ctx: RequestContext): Subscription {
    const subscription = this.subscriptions.get(
      arnInRegion(required(input, 'SubscriptionArn'), ctx, 'SubscriptionArn'),
    );
    if (!subscription) throw notFound('Subscription does not exist');
    return subscription;
  }
}

/** An SNS ARN of another region is refused as AWS does: "Invalid parameter: TopicArn" (no lookup across regions). */
function arnInRegion(arn: string, ctx: RequestContext, parameter: string): string {
  const [prefix, partition, service, region] = arn.split(':');
  if (prefix !== 'arn' || partition !== 'aws' || service !== 'sns' || region !== ctx.region) {
    throw invalidParameter(parameter);
  }
  return arn;
}

function tagError(refused: { problem: string; tooMany: boolean }): AwsError {
  if (refused.tooMany) {
    return new AwsError('TagLimitExceededException', `Could not complete request: ${refused.problem}`, {
      queryCode: 'TagLimitExceeded',
    });
  }
  return invalidParameter(`Tags Reason: ${refused.problem}`);
}

function renderSubscription(s: Subscription): XmlValue {
  return {
    SubscriptionArn: s.arn,
    Owner: ACCOUNT_ID,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

function paginate<T>(items: T[], token: unknown, size: number): { page: T[]; nextToken?: string } {
  const start = typeof token === 'string' ? Number(token) || 0 : 0;
  const page = items.slice(start, start + size);
  return { page, nextToken: start + size < items.length ? String(start + size) : undefined };
}

function pruneExpired(map: Map<string, { expiresAt: number }>, now: number): void {
  for (const [key, entry] of map) {
    if (entry.expiresAt > now) break;
    map.delete(key);
  }
}

/** MessageStructure=json: a JSON object with a string `default` and string values per protocol. */
function parseStructuredMessage(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const structure = parsed as Record<string, unknown>;
  if (typeof structure.default !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  if (structure.sqs !== undefined && typeof structure.sqs !== 'string') {
    throw invalidParameter('Message Structure - the sqs entry must be a string');
  }
  return structure as Record<string, string>;
}
