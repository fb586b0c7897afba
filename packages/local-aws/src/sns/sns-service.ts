// The SNS operations (topics, subscriptions, publish) with synchronous delivery to SQS subscribers:
// by the time Publish answers, every matching queue holds the message.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error';
import type { Clock } from '../clock';
import { ACCOUNT_ID } from '../request-context';
import type { RequestContext } from '../request-context';
import type { MessageAttributes } from '../sqs/md5';
import { md5Hex } from '../sqs/md5';
import type { SqsService } from '../sqs/sqs-service';
import { XmlMap } from '../query-protocol';
import type { XmlValue } from '../query-protocol';
import { matchesFilterPolicy, parseFilterPolicy, parseFilterPolicyScope } from './filter-policy';
import type { FilterPolicy } from './filter-policy';
import { envelopeAttributes, notificationEnvelope } from './notification';
import type { PublishedMessage } from './notification';

type Input = Record<string, unknown>;
type Output = { [name: string]: XmlValue };

interface Topic {
  arn: string;
  name: string;
  region: string;
  fifo: boolean;
  attributes: Record<string, string>;
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
const SUBSCRIPTION_ATTRIBUTES = new Set([
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
]);
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_BATCH_ENTRIES = 10;
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', `Invalid parameter: ${message}`, 400, 'InvalidParameter');
}

function notFound(message: string): AwsError {
  return new AwsError('NotFoundException', message, 404, 'NotFound');
}

function required(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError('InvalidParameterException', `Invalid parameter: ${name}`, 400, 'InvalidParameter');
  }
  return value;
}

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
    const attributes = (input.Attributes ?? {}) as Record<string, string>;
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
    const arn = `arn:aws:sns:${ctx.region}:${ACCOUNT_ID}:${name}`;
    const existing = this.topics.get(arn);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if (existing.attributes[key] !== value)
          throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
      }
      return { CreateTopicResult: { TopicArn: arn } };
    }
    this.topics.set(arn, {
      arn,
      name,
      region: ctx.region,
      fifo,
      attributes: fifo ? { FifoTopic: 'true', ContentBasedDeduplication: 'false', ...attributes } : { ...attributes },
      sequence: 0n,
      deduplication: new Map(),
    });
    return { CreateTopicResult: { TopicArn: arn } };
  }

  /** Idempotent, as on AWS: deleting a topic that does not exist succeeds. */
  DeleteTopic(input: Input): Output {
    const arn = required(input, 'TopicArn');
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

  GetTopicAttributes(input: Input): Output {
    const topic = this.topicFor(input);
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

  SetTopicAttributes(input: Input): Output {
    const topic = this.topicFor(input);
    const name = required(input, 'AttributeName');
    if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
    topic.attributes[name] = typeof input.AttributeValue === 'string' ? input.AttributeValue : '';
    return {};
  }

  // ---- subscriptions ------------------------------------------------------------------------------------------

  Subscribe(input: Input): Output {
    const topic = this.topicFor(input);
    const protocol = required(input, 'Protocol');
    const endpoint = typeof input.Endpoint === 'string' ? input.Endpoint : '';
    const attributes = (input.Attributes ?? {}) as Record<string, string>;
    if (
      !['sqs', 'http', 'https', 'email', 'email-json', 'sms', 'lambda', 'application', 'firehose'].includes(protocol)
    ) {
      throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
    }
    if (protocol === 'sqs' && !/^arn:aws:sqs:[^:]+:\d{12}:[^:]+$/.test(endpoint))
      throw invalidParameter('SQS endpoint ARN');
    for (const name of Object.keys(attributes)) {
      if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(`Attributes Reason: Unknown attribute ${name}`);
    }
    const existing = [...this.subscriptions.values()].find(
      (s) => s.topicArn === topic.arn && s.protocol === protocol && s.endpoint === endpoint,
    );
    if (existing) {
      for (const [name, value] of Object.entries(attributes)) {
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
      attributes: {},
    };
    applySubscriptionAttributes(subscription, attributes);
    this.subscriptions.set(subscription.arn, subscription);
    // Only SQS delivery is emulated; other protocols would wait for a confirmation that never comes.
    const confirmed = protocol === 'sqs' || input.ReturnSubscriptionArn === 'true';
    return { SubscribeResult: { SubscriptionArn: confirmed ? subscription.arn : 'pending confirmation' } };
  }

  Unsubscribe(input: Input): Output {
    const arn = required(input, 'SubscriptionArn');
    if (!this.subscriptions.delete(arn)) throw notFound('Subscription does not exist');
    return {};
  }

  ListSubscriptions(input: Input, ctx: RequestContext): Output {
    const all = [...this.subscriptions.values()].filter((s) => s.topicArn.startsWith(`arn:aws:sns:${ctx.region}:`));
    const { page, nextToken } = paginate(all, input.NextToken, 100);
    return { ListSubscriptionsResult: { Subscriptions: page.map(renderSubscription), NextToken: nextToken } };
  }

  ListSubscriptionsByTopic(input: Input): Output {
    const topic = this.topicFor(input);
    const all = [...this.subscriptions.values()].filter((s) => s.topicArn === topic.arn);
    const { page, nextToken } = paginate(all, input.NextToken, 100);
    return { ListSubscriptionsByTopicResult: { Subscriptions: page.map(renderSubscription), NextToken: nextToken } };
  }

  GetSubscriptionAttributes(input: Input): Output {
    const subscription = this.subscriptionFor(input);
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

  SetSubscriptionAttributes(input: Input): Output {
    const subscription = this.subscriptionFor(input);
    const name = required(input, 'AttributeName');
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
    applySubscriptionAttributes(subscription, {
      [name]: typeof input.AttributeValue === 'string' ? input.AttributeValue : '',
    });
    return {};
  }

  // ---- publishing ---------------------------------------------------------------------------------------------

  Publish(input: Input): Output {
    const arn = (input.TopicArn ?? input.TargetArn) as string | undefined;
    if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    const topic = this.topics.get(arn);
    if (!topic) throw notFound('Topic does not exist');
    const result = this.publish(topic, input);
    return { PublishResult: { MessageId: result.messageId, SequenceNumber: result.sequenceNumber } };
  }

  PublishBatch(input: Input): Output {
    const topic = this.topicFor(input);
    const entries = (input.PublishBatchRequestEntries ?? []) as Input[];
    if (!Array.isArray(entries) || entries.length === 0) {
      throw new AwsError(
        'EmptyBatchRequestException',
        "The batch request doesn't contain any entries.",
        400,
        'EmptyBatchRequest',
      );
    }
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new AwsError(
        'TooManyEntriesInBatchRequestException',
        'The batch request contains more entries than permissible.',
        400,
        'TooManyEntriesInBatchRequest',
      );
    }
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = typeof entry.Id === 'string' ? entry.Id : '';
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
        throw new AwsError(
          'InvalidBatchEntryIdException',
          "The Id of a batch entry in a batch request doesn't abide by the specification.",
          400,
          'InvalidBatchEntryId',
        );
      }
      if (ids.has(id)) {
        throw new AwsError(
          'BatchEntryIdsNotDistinctException',
          'Two or more batch entries in the request have the same Id.',
          400,
          'BatchEntryIdsNotDistinct',
        );
      }
      ids.add(id);
    }
    const total = entries.reduce((sum, entry) => sum + Buffer.byteLength(String(entry.Message ?? '')), 0);
    if (total > MAX_MESSAGE_BYTES) {
      throw new AwsError(
        'BatchRequestTooLongException',
        'The length of all the messages put together is more than the limit.',
        400,
        'BatchRequestTooLong',
      );
    }
    const successful: XmlValue[] = [];
    const failed: XmlValue[] = [];
    for (const entry of entries) {
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

  // ---- state and internals ------------------------------------------------------------------------------------

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
    const filterable = { body: published.message, attributes: envelopeAttributes(published.attributes) };
    for (const subscription of this.subscriptions.values()) {
      if (subscription.topicArn !== published.topicArn || subscription.protocol !== 'sqs') continue;
      if (subscription.filter && !matchesFilterPolicy(subscription.filter, filterable)) continue;
      const message = structured ? (structured.sqs ?? structured.default) : published.message;
      const forSubscriber = { ...published, message };
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
    const policy = subscription.attributes.RedrivePolicy;
    if (!policy) return undefined;
    const target = (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    return target ? this.sqs.queueByArn(target) : undefined;
  }

  private topicFor(input: Input): Topic {
    const topic = this.topics.get(required(input, 'TopicArn'));
    if (!topic) throw notFound('Topic does not exist');
    return topic;
  }

  private subscriptionFor(input: Input): Subscription {
    const subscription = this.subscriptions.get(required(input, 'SubscriptionArn'));
    if (!subscription) throw notFound('Subscription does not exist');
    return subscription;
  }
}

/** Validates and applies attribute changes together, so FilterPolicy is checked against the FilterPolicyScope
 * given in the same request, whichever comes first. */
function applySubscriptionAttributes(subscription: Subscription, changes: Record<string, string>): void {
  const next = { ...subscription.attributes };
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'RawMessageDelivery' && value !== 'true' && value !== 'false') {
      throw invalidParameter(`Attributes Reason: RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
    }
    if (name === 'RedrivePolicy' && value !== '') validateSubscriptionRedrivePolicy(value);
    if (value === '') delete next[name];
    else next[name] = value;
  }
  const scope = parseFilterPolicyScope(next.FilterPolicyScope);
  subscription.filter = next.FilterPolicy ? parseFilterPolicy(next.FilterPolicy, scope) : undefined;
  subscription.attributes = next;
}

function validateSubscriptionRedrivePolicy(value: string): void {
  let target: unknown;
  try {
    target = (JSON.parse(value) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  } catch {
    throw invalidParameter('RedrivePolicy: failed to parse JSON.');
  }
  if (typeof target !== 'string' || !target.startsWith('arn:aws:sqs:')) {
    throw invalidParameter('RedrivePolicy: deadLetterTargetArn is missing or not an SQS queue ARN');
  }
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

function parseStructuredMessage(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>).default !== 'string'
  ) {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  return parsed as Record<string, string>;
}

/** SNS attribute types: String, String.Array (a JSON array), Number, Binary (base64 on the wire). */
function parsePublishAttributes(raw: unknown): MessageAttributes {
  const attributes: MessageAttributes = {};
  if (!raw || typeof raw !== 'object') return attributes;
  for (const [name, value] of Object.entries(raw as Record<string, Record<string, unknown>>)) {
    const dataType = value?.DataType;
    if (typeof dataType !== 'string' || dataType === '') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' must contain non-empty message attribute type.`,
        400,
        'ParameterValueInvalid',
      );
    }
    const base = dataType.split('.')[0];
    if (base === 'Binary') {
      if (typeof value.BinaryValue !== 'string' && !Buffer.isBuffer(value.BinaryValue)) {
        throw new AwsError(
          'InvalidParameterValueException',
          `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
          400,
          'ParameterValueInvalid',
        );
      }
      const bytes = Buffer.isBuffer(value.BinaryValue)
        ? value.BinaryValue
        : Buffer.from(value.BinaryValue as string, 'base64');
      attributes[name] = { DataType: dataType, BinaryValue: bytes };
      continue;
    }
    const stringValue = value.StringValue;
    if (typeof stringValue !== 'string' || stringValue === '') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        400,
        'ParameterValueInvalid',
      );
    }
    if (base === 'Number' && !Number.isFinite(Number(stringValue))) {
      throw new AwsError(
        'InvalidParameterValueException',
        `Could not cast message attribute '${name}' value to number.`,
        400,
        'ParameterValueInvalid',
      );
    }
    if (dataType === 'String.Array') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stringValue);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) {
        throw new AwsError(
          'InvalidParameterValueException',
          `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
          400,
          'ParameterValueInvalid',
        );
      }
    } else if (base !== 'String' && base !== 'Number') {
      throw new AwsError(
        'InvalidParameterValueException',
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
        400,
        'ParameterValueInvalid',
      );
    }
    attributes[name] = { DataType: dataType, StringValue: stringValue };
  }
  return attributes;
}

function defaultTopicPolicy(topicArn: string): unknown {
  return {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': ACCOUNT_ID } },
      },
    ],
  };
}
