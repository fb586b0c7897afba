/**
 * The messaging topology as CDK resources: one SNS topic per producer, one SQS queue (plus dead-letter queue) per
 * consumer, subscribed with raw delivery and a FilterPolicy on `eventType`. It reads the same `Topology` object that
 * `@shop/messaging`'s provisionTopology creates on local-aws and LocalStack, so AWS gets exactly what the tests ran on.
 */
import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_MAX_RECEIVE_COUNT,
  DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  deadLetterQueueName,
  type Topology,
} from '@shop/contracts';

/** Dead letters wait for a person: kept as long as SQS allows, as provisionTopology does. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export interface MessagingTopologyProps {
  readonly topology: Topology;
}

export class MessagingTopology extends Construct {
  /** Topic per producer name. */
  readonly topics: Readonly<Record<string, sns.Topic>>;
  /** Queue per consumer name; its dead-letter queue is `deadLetterQueues[consumer]`. */
  readonly queues: Readonly<Record<string, sqs.Queue>>;
  readonly deadLetterQueues: Readonly<Record<string, sqs.Queue>>;

  constructor(scope: Construct, id: string, { topology }: MessagingTopologyProps) {
    super(scope, id);
    const topics: Record<string, sns.Topic> = {};
    const queues: Record<string, sqs.Queue> = {};
    const deadLetterQueues: Record<string, sqs.Queue> = {};

    // Physical names are fixed: services find their topic and queue by name, as they do on local-aws.
    for (const [producer, { topic }] of Object.entries(topology.producers)) {
      topics[producer] = new sns.Topic(this, `${producer}-topic`, { topicName: topic });
    }

    for (const [consumer, spec] of Object.entries(topology.consumers)) {
      const deadLetter = new sqs.Queue(this, `${consumer}-dlq`, {
        queueName: deadLetterQueueName(spec.queue),
        retentionPeriod: DEAD_LETTER_RETENTION,
      });
      const queue = new sqs.Queue(this, `${consumer}-queue`, {
        queueName: spec.queue,
        visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS),
        deadLetterQueue: { queue: deadLetter, maxReceiveCount: spec.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT },
      });
      deadLetterQueues[consumer] = deadLetter;
      queues[consumer] = queue;

      for (const [producer, eventTypes] of Object.entries(spec.subscribes)) {
        const topic = topics[producer];
        if (!topic) throw new Error(`Consumer "${consumer}" subscribes to unknown producer "${producer}"`);
        // SqsSubscription also adds the queue policy that lets this topic (and only it) send to the queue.
        topic.addSubscription(
          new subscriptions.SqsSubscription(queue, {
            rawMessageDelivery: true,
            filterPolicy: {
              eventType: sns.SubscriptionFilter.stringFilter({ allowlist: [...eventTypes].sort() }),
            },
          }),
        );
      }
    }

    this.topics = topics;
    this.queues = queues;
    this.deadLetterQueues = deadLetterQueues;
  }
}
