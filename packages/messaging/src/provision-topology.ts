/**
 * Creates (or corrects) every topic, queue, dead-letter queue and subscription a topology describes, idempotently:
 * a second run against the same account finds everything in place and changes nothing. Works the same against
 * local-aws, LocalStack and AWS.
 */
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  deadLetterQueueName,
  systemTopology,
  type Topology,
} from '@shop/contracts';
import { findQueueUrl, listTopicArns } from './aws-lookups';

/** Dead letters wait for a person: keep them as long as SQS allows (14 days). */
const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;

export interface ProvisionedQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

export interface ProvisionedTopology {
  /** Topic ARN per producer. */
  readonly topicArns: Readonly<Record<string, string>>;
  /** Queue and dead-letter queue per consumer. */
  readonly queues: Readonly<Record<string, ProvisionedQueue & { readonly deadLetter: ProvisionedQueue }>>;
  /** What this run created or corrected; empty when everything was already in place. */
  readonly changes: readonly TopologyChange[];
}

export interface TopologyChange {
  readonly action: 'created' | 'updated';
  readonly resource: 'topic' | 'queue' | 'subscription';
  readonly name: string;
}

export interface ProvisionOptions {
  /** Called with one line per change, e.g. `console.log`. */
  readonly log?: (line: string) => void;
}

export async function provisionTopology(
  clients: { readonly sns: SNSClient; readonly sqs: SQSClient },
  topology: Topology = systemTopology,
  options: ProvisionOptions = {},
): Promise<ProvisionedTopology> {
  const { sns, sqs } = clients;
  const changes: TopologyChange[] = [];
  const record = (change: TopologyChange): void => {
    changes.push(change);
    options.log?.(`${change.action} ${change.resource} ${change.name}`);
  };

  const existingTopics = await listTopicArns(sns);
  const topicArns: Record<string, string> = {};
  for (const [producer, { topic }] of Object.entries(topology.producers)) {
    let arn = existingTopics.get(topic);
    if (!arn) {
      arn = (await sns.send(new CreateTopicCommand({ Name: topic }))).TopicArn!;
      record({ action: 'created', resource: 'topic', name: topic });
    }
    topicArns[producer] = arn;
  }

  const queues: Record<string, ProvisionedQueue & { deadLetter: ProvisionedQueue }> = {};
  for (const [consumer, spec] of Object.entries(topology.consumers)) {
    const deadLetter = await ensureQueue(
      sqs,
      deadLetterQueueName(spec.queue),
      () => ({ MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS) }),
      record,
    );
    const sourceTopicArns = Object.keys(spec.subscribes).map((producer) => {
      const arn = topicArns[producer];
      if (!arn) throw new Error(`Consumer "${consumer}" subscribes to unknown producer "${producer}"`);
      return arn;
    });
    const queue = await ensureQueue(
      sqs,
      spec.queue,
      (queueArn) => ({
        VisibilityTimeout: String(spec.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetter.arn,
          maxReceiveCount: spec.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
        }),
        // On AWS an SNS topic may deliver to a queue only if the queue's policy says so.
        ...(queueArn ? { Policy: JSON.stringify(snsDeliveryPolicy(queueArn, sourceTopicArns)) } : {}),
      }),
      record,
    );
    queues[consumer] = { ...queue, deadLetter };

    for (const [producer, eventTypes] of Object.entries(spec.subscribes)) {
      const filterPolicy = JSON.stringify({ eventType: [...eventTypes].sort() });
      await ensureSubscription(
        sns,
        topicArns[producer]!,
        queue.arn,
        filterPolicy,
        `${spec.queue} <- ${topology.producers[producer]!.topic}`,
        record,
      );
    }
  }
  if (changes.length === 0) options.log?.('topology already up to date');
  return { topicArns, queues, changes };
}

/**
 * Creates the queue with the desired attributes, or brings an existing one's attributes in line. `desired` gets
 * the queue's ARN once it is known, for attributes that mention the queue itself (its access policy).
 */
async function ensureQueue(
  sqs: SQSClient,
  name: string,
  desired: (queueArn: string | undefined) => Record<string, string>,
  record: (change: TopologyChange) => void,
): Promise<ProvisionedQueue> {
  let url = await findQueueUrl(sqs, name);
  const created = !url;
  if (!url)
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: desired(undefined) }))).QueueUrl!;

  const current: Record<string, string | undefined> = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))
  ).Attributes!;
  const arn = current.QueueArn!;
  const differing = Object.fromEntries(
    Object.entries(desired(arn)).filter(([key, value]) => !sameAttributeValue(current[key], value)),
  );
  if (Object.keys(differing).length > 0) {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: differing }));
  }
  if (created) record({ action: 'created', resource: 'queue', name });
  else if (Object.keys(differing).length > 0) record({ action: 'updated', resource: 'queue', name });
  return { name, url, arn };
}

async function ensureSubscription(
  sns: SNSClient,
  topicArn: string,
  queueArn: string,
  filterPolicy: string,
  label: string,
  record: (change: TopologyChange) => void,
): Promise<void> {
  // Raw delivery: the queue receives the event JSON itself, and SNS message attributes become SQS attributes.
  const desired: Record<string, string> = {
    RawMessageDelivery: 'true',
    FilterPolicyScope: 'MessageAttributes',
    FilterPolicy: filterPolicy,
  };
  const existingArn = await findSubscriptionArn(sns, topicArn, queueArn);
  if (!existingArn) {
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        Attributes: desired,
        ReturnSubscriptionArn: true,
      }),
    );
    record({ action: 'created', resource: 'subscription', name: label });
    return;
  }
  const current =
    (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: existingArn }))).Attributes ?? {};
  let updated = false;
  for (const [key, value] of Object.entries(desired)) {
    if (sameAttributeValue(current[key], value)) continue;
    await sns.send(
      new SetSubscriptionAttributesCommand({ SubscriptionArn: existingArn, AttributeName: key, AttributeValue: value }),
    );
    updated = true;
  }
  if (updated) record({ action: 'updated', resource: 'subscription', name: label });
}

async function findSubscriptionArn(sns: SNSClient, topicArn: string, queueArn: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    const match = page.Subscriptions?.find((s) => s.Protocol === 'sqs' && s.Endpoint === queueArn);
    // A subscription still pending confirmation has no ARN yet (SQS ones are confirmed at once).
    if (match?.SubscriptionArn && match.SubscriptionArn !== 'PendingConfirmation') return match.SubscriptionArn;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

function snsDeliveryPolicy(queueArn: string, topicArns: string[]): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowSubscribedTopics',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [...topicArns].sort() } },
      },
    ],
  };
}

/** AWS may return JSON attributes re-serialised (spacing, numbers as strings), so compare them by meaning. */
function sameAttributeValue(actual: string | undefined, desired: string): boolean {
  if (actual === desired) return true;
  if (actual === undefined) return false;
  try {
    return canonicalJson(JSON.parse(actual)) === canonicalJson(JSON.parse(desired));
  } catch {
    return false;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(String(value));
}
