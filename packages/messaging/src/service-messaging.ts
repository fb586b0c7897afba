/**
 * Messaging for one service in a few lines: its outbox relay (publishing to its own topic) and, when it consumes,
 * its queue consumer — both from the service's entries in the system topology, started once the service listens,
 * stopped on shutdown.
 *
 * Created in two steps because of what depends on what: the app needs the relay's `wake` (to publish right after a
 * commit), and the consumer's handlers usually need the app (its commands). So `createServiceMessaging` gives the
 * relay and `wake` at once, and the handlers arrive with `start(handlers)`, once the app exists.
 *
 * The service keeps working when the broker is not there yet: the relay keeps events in the outbox and retries,
 * and the consumer retries its start-up (e.g. the queue has not been provisioned yet) with backoff in the
 * background instead of failing the process.
 */
import { sleep, systemClock, type Clock } from '@shop/clock';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { deadLetterQueueName, systemTopology, type Topology } from '@shop/contracts';
import { createRetentionJob, type Database, type RetentionJob, type RetentionRule } from '@shop/db';
import { exponentialBackoff } from '@shop/resilience';
import { consumerMetrics, dlqDepthMetrics, outboxMetrics, retentionMetrics, type Registry } from '@shop/telemetry';
import { findQueueUrl } from './aws-lookups';
import { createAwsClients, destroyAwsClients, type AwsClients } from './aws-clients';
import { createConsumer, type Consumer, type ConsumerOptions, type EventHandlers } from './consumer/consumer';
import { inboxRetention } from './consumer/inbox';
import { silentLogger, type Logger } from './logger';
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
import { outboxBacklog, outboxRetention } from './outbox/outbox-store';

export interface ServiceMessagingOptions {
  /** The service's name in the topology: its producer entry (topic) and consumer entry (queue). */
  readonly service: string;
  readonly db: Database;
  readonly logger?: Logger;
  /** SNS/SQS endpoint (local-aws, LocalStack); real AWS when undefined. */
  readonly endpoint?: string;
  readonly region?: string;
  readonly topology?: Topology;
  /** Pre-built clients (tests); otherwise created from endpoint/region and destroyed on close. */
  readonly aws?: AwsClients;
  readonly relayOptions?: Partial<OutboxRelayOptions>;
  readonly consumerOptions?: Partial<ConsumerOptions>;
  /** How long published outbox rows and inbox entries are kept (defaults 7 and 14 days), and how often to prune. */
  readonly retention?: { readonly outboxMs?: number; readonly inboxMs?: number; readonly intervalMs?: number };
  /** Wall-clock time for the retention cut-off (tests pass a FakeClock started at a date). */
  readonly retentionClock?: Clock;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface ServiceMessaging {
  readonly aws: AwsClients;
  readonly relay?: OutboxRelay;
  /** Publish now: call after a transaction that wrote outbox rows has committed. */
  wake(): void;
  /** Prunes published outbox rows and old inbox entries; started with the relay and consumer. */
  readonly retention: RetentionJob;
  /** Reports outbox backlog, consumer outcomes, DLQ depth and retained rows in the service's Prometheus registry. */
  reportMetrics(registry: Registry): void;
  /**
   * Starts the relay and, given handlers, the consumer of the service's queue in the background (retrying until the
   * queue exists). Without handlers nothing is consumed, even where the topology lists a queue.
   */
  start(handlers?: EventHandlers): void;
  /** Stops the consumer (finishing messages in flight), then the relay, then the clients. */
  close(): Promise<void>;
}

export function createServiceMessaging(options: ServiceMessagingOptions): ServiceMessaging {
  const { service, db } = options;
  const logger = options.logger ?? silentLogger;
  const topology: Topology = options.topology ?? systemTopology;
  const ownsClients = !options.aws;
  const aws = options.aws ?? createAwsClients({ endpoint: options.endpoint, region: options.region });

  const topic = topology.producers[service]?.topic;
  const relay = topic
    ? createOutboxRelay({ db, sns: aws.sns, topicName: topic, logger, ...options.relayOptions })
    : undefined;
  // A service the topology gives a queue has an inbox, and a DLQ to watch, whether or not this process consumes.
  const queue = topology.consumers[service]?.queue;
  let outcomes: ReturnType<typeof consumerMetrics> | undefined;
  const consumerWith = (handlers: EventHandlers): Consumer =>
    createConsumer({
      db,
      sqs: aws.sqs,
      name: service,
      topology,
      handlers,
      logger,
      onOutcome: (outcome, eventType = 'unknown') => {
        if (outcome === 'handled' || outcome === 'duplicate') outcomes?.processed(queue!, eventType);
        else outcomes?.failed(queue!, eventType);
      },
      ...options.consumerOptions,
    });
  // Both tables only grow otherwise: one row per event published, one per event handled.
  const retentionRules: RetentionRule[] = [
    ...(relay ? [outboxRetention(options.retention?.outboxMs)] : []),
    ...(queue ? [inboxRetention(options.retention?.inboxMs)] : []),
  ];
  let pruneMetrics: ReturnType<typeof retentionMetrics> | undefined;
  const retention = createRetentionJob({
    db,
    rules: retentionRules,
    logger,
    clock: options.retentionClock ?? systemClock,
    ...(options.retention?.intervalMs ? { intervalMs: options.retention.intervalMs } : {}),
    onPruned: (table, rows) => pruneMetrics?.pruned(table, rows),
  });

  function reportMetrics(registry: Registry): void {
    if (retentionRules.length > 0) pruneMetrics = retentionMetrics(registry, () => retention.rowCounts());
    if (queue) outcomes = consumerMetrics(registry);
    if (relay) outboxMetrics(registry, () => outboxBacklog(db));
    if (queue) {
      const dlq = deadLetterQueueName(queue);
      dlqDepthMetrics(registry, async () => {
        const url = await findQueueUrl(aws.sqs, dlq);
        if (!url) return [];
        const { Attributes } = await aws.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        );
        return [{ queue: dlq, depth: Number(Attributes?.ApproximateNumberOfMessages ?? 0) }];
      });
    }
  }

  let closed = false;
  let consumer: Consumer | undefined;
  let consumerStarting: Promise<void> | undefined;
  const abort = new AbortController();

  async function startConsumerWhenPossible(target: Consumer): Promise<void> {
    const backoff = exponentialBackoff({ initialMs: 500, maxMs: 30_000 });
    const clock = options.clock ?? systemClock;
    let delayMs = 0;
    for (let attempt = 1; !closed; attempt++) {
      try {
        await target.start();
        logger.info({ service }, 'consumer started');
        return;
      } catch (error) {
        delayMs = backoff(attempt, delayMs, options.random ?? Math.random);
        logger.warn({ err: error, attempt, retryInMs: Math.round(delayMs) }, 'consumer could not start; retrying');
        await sleep(clock, delayMs, abort.signal).catch(() => undefined);
      }
    }
  }

  return {
    aws,
    relay,
    retention,
    wake: () => relay?.wake(),
    reportMetrics,
    start(handlers) {
      relay?.start();
      if (retentionRules.length > 0) retention.start();
      if (handlers && !consumer) {
        consumer = consumerWith(handlers);
        consumerStarting = startConsumerWhenPossible(consumer);
      }
    },
    async close() {
      closed = true;
      abort.abort();
      await consumerStarting;
      await retention.stop();
      await consumer?.stop();
      await relay?.stop();
      if (ownsClients) destroyAwsClients(aws);
    },
  };
}
