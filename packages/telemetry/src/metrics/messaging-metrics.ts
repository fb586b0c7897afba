/** Metrics fed by the messaging building blocks (`@shop/messaging`): outbox backlog, consumers and DLQs. */
import { Counter, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';
import { sampledGauge } from './sampled-gauge';

export interface OutboxBacklog {
  /** Rows not yet published. */
  pending: number;
  /** Age of the oldest pending row in seconds (0 when empty): a stuck relay shows here first. */
  oldestAgeSeconds: number;
}

/** Two gauges read at scrape time from the outbox table, e.g. `() => outbox.backlog()`. */
export function outboxMetrics(registry: Registry, read: () => Promise<OutboxBacklog>): void {
  // Both gauges come from one query; share it per scrape instead of running it twice.
  let current: Promise<OutboxBacklog> | undefined;
  const readOnce = () => (current ??= read().finally(() => setImmediate(() => (current = undefined))));
  sampledGauge(
    registry,
    { name: 'outbox_backlog_messages', help: 'Outbox rows waiting to be published.', labelNames: [] },
    async () => [{ labels: {}, value: (await readOnce()).pending }],
  );
  sampledGauge(
    registry,
    {
      name: 'outbox_oldest_message_age_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when the outbox is empty).',
      labelNames: [],
    },
    async () => [{ labels: {}, value: (await readOnce()).oldestAgeSeconds }],
  );
}

export interface ConsumerMetrics {
  /** A message handled (including duplicates the inbox skipped). */
  processed(queue: string, eventType: string): void;
  /** A handler failure (the message will be redelivered, or dead-lettered in the end). */
  failed(queue: string, eventType: string): void;
}

export function consumerMetrics(registry: Registry): ConsumerMetrics {
  const counter = (name: string, help: string) =>
    registeredMetric(
      registry,
      name,
      () => new Counter({ name, help, labelNames: ['queue', 'event_type'], registers: [registry] }),
    );
  const processed = counter(
    'consumer_messages_processed_total',
    'Messages handled successfully per queue and event type.',
  );
  const failed = counter('consumer_messages_failed_total', 'Message handling failures per queue and event type.');
  return {
    processed: (queue, eventType) => processed.inc({ queue, event_type: eventType }),
    failed: (queue, eventType) => failed.inc({ queue, event_type: eventType }),
  };
}

/** DLQ depth per queue, read at scrape time (e.g. from SQS `ApproximateNumberOfMessages`). */
export function dlqDepthMetrics(registry: Registry, read: () => Promise<{ queue: string; depth: number }[]>): void {
  sampledGauge(
    registry,
    { name: 'dlq_depth_messages', help: 'Messages waiting in each dead-letter queue.', labelNames: ['queue'] },
    async () => (await read()).map(({ queue, depth }) => ({ labels: { queue }, value: depth })),
  );
}
