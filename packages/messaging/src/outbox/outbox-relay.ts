/**
 * The outbox relay: moves committed outbox rows to SNS. Woken by the service right after a commit (no polling delay
 * on the happy path), polling as a safety net, backing off behind a circuit breaker while SNS fails.
 * Delivery is at-least-once: a crash after publishing but before marking re-publishes, and the inbox deduplicates.
 */
import { PublishBatchCommand, type PublishBatchRequestEntry, type SNSClient } from '@aws-sdk/client-sns';
import type { Database } from '@shop/db';
import {
  BrokenCircuitError,
  CircuitBreaker,
  exponentialBackoff,
  systemClock,
  type Backoff,
  type Clock,
  type TimerHandle,
} from '@shop/resilience';
import { findTopicArn } from '../aws-lookups';
import { endPublishSpans, startPublishSpan } from '../tracing';
import { silentLogger, type Logger } from '../logger';
import {
  claimPendingEvents,
  countPending,
  DEFAULT_OUTBOX_RETENTION_MS,
  markPublished,
  prunePublished,
  recordFailedAttempt,
  type PendingEvent,
} from './outbox-store';

/** SNS PublishBatch takes at most 10 entries. */
const SNS_BATCH_LIMIT = 10;

export interface OutboxRelayOptions {
  readonly db: Database;
  readonly sns: Pick<SNSClient, 'send'>;
  /** The producer's topic, by ARN or (looked up on first use) by name, e.g. `systemTopology.producers.order.topic`. */
  readonly topicArn?: string;
  readonly topicName?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Safety-net poll when nobody calls `wake()`. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  /** Events published per pass. Default 100. */
  readonly batchSize?: number;
  /** Bounds how long one PublishBatch (and so the claim's row locks) can take. Default 5000 ms. */
  readonly publishTimeoutMs?: number;
  /** Delay before retrying after a failed pass. Default exponential from 200 ms to 30 s with full jitter. */
  readonly backoff?: Backoff;
  /** Stops publish attempts while SNS keeps failing. Default: opens after 5 failures in a row, for 10 s. */
  readonly breaker?: CircuitBreaker;
  /** `prunePublished()` deletes rows published longer ago than this. Default 7 days. (createServiceMessaging runs
   *  that pruning on a schedule, with the inbox's.) */
  readonly retentionMs?: number;
  readonly random?: () => number;
}

export interface PublishReport {
  readonly published: number;
  readonly failed: number;
  /** The pass was full: more events may be waiting. */
  readonly more: boolean;
}

export interface OutboxRelay {
  /** Starts publishing: one pass now, then on every `wake()` and poll. */
  start(): void;
  /** Publish now (call after a transaction that enqueued events commits). Cheap when nothing is pending. */
  wake(): void;
  /** Stops polling and waits for a pass in progress to finish. */
  stop(): Promise<void>;
  /** One pass, without the loop: for tests and scripts. */
  publishPending(): Promise<PublishReport>;
  /** Deletes published rows older than the retention period; returns how many. */
  prunePublished(): Promise<number>;
  pendingCount(): Promise<number>;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, sns } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000;
  const backoff = options.backoff ?? exponentialBackoff({ initialMs: 200, maxMs: 30_000 });
  const breaker =
    options.breaker ??
    new CircuitBreaker({ name: 'outbox-sns', consecutiveFailures: 5, openDurationMs: 10_000, clock });
  const retentionMs = options.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS;
  const random = options.random ?? Math.random;
  if (!options.topicArn && !options.topicName) throw new Error('createOutboxRelay needs topicArn or topicName');

  let topicArn: Promise<string> | undefined = options.topicArn ? Promise.resolve(options.topicArn) : undefined;
  const resolveTopicArn = (): Promise<string> => {
    topicArn ??= findTopicArn(sns as SNSClient, options.topicName!).catch((error: unknown) => {
      topicArn = undefined; // not provisioned yet: try again next pass
      throw error;
    });
    return topicArn;
  };

  let stopped = true;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;
  let rerun = false;
  let failureStreak = 0;
  let lastDelayMs = 0;

  async function publishPending(): Promise<PublishReport> {
    const arn = await resolveTopicArn();
    return db.transaction(async (tx) => {
      const events = await claimPendingEvents(tx, batchSize, batchSize);
      if (events.length === 0) return { published: 0, failed: 0, more: false };
      const { published, failed, error } = await publishInAggregateOrder(arn, events);
      await markPublished(tx, published);
      await recordFailedAttempt(tx, failed, error ?? '');
      if (failed.length > 0) logger.warn({ failed: failed.length, err: error }, 'outbox: publishing to SNS failed');
      return { published: published.length, failed: failed.length, more: events.length === batchSize };
    });
  }

  /**
   * Round r publishes the r-th pending event of every aggregate, so an aggregate's events reach SNS in version
   * order; an aggregate whose event failed publishes nothing more in this pass.
   */
  async function publishInAggregateOrder(
    arn: string,
    events: readonly PendingEvent[],
  ): Promise<{ published: string[]; failed: string[]; error?: string }> {
    const byAggregate = new Map<string, PendingEvent[]>();
    for (const event of events) {
      const list = byAggregate.get(event.aggregateId) ?? [];
      list.push(event);
      byAggregate.set(event.aggregateId, list);
    }
    const published: string[] = [];
    const failed: string[] = [];
    const blocked = new Set<string>();
    let error: string | undefined;
    for (let round = 0; ; round++) {
      const roundEvents = [...byAggregate]
        .filter(([aggregateId, list]) => round < list.length && !blocked.has(aggregateId))
        .map(([, list]) => list[round]!);
      if (roundEvents.length === 0) break;
      for (let start = 0; start < roundEvents.length; start += SNS_BATCH_LIMIT) {
        const chunk = roundEvents.slice(start, start + SNS_BATCH_LIMIT);
        try {
          const failedIds = await publishBatch(arn, chunk);
          for (const event of chunk) {
            if (failedIds.has(event.id)) {
              failed.push(event.id);
              blocked.add(event.aggregateId);
            } else published.push(event.id);
          }
          if (failedIds.size > 0) error ??= 'PublishBatch rejected some entries';
        } catch (cause) {
          // SNS unreachable or the circuit is open: the rest of this pass would fail the same way.
          error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
          failed.push(...events.filter((e) => !published.includes(e.id)).map((e) => e.id));
          return { published, failed, error };
        }
      }
    }
    return { published, failed, ...(error ? { error } : {}) };
  }

  /** Returns the ids of entries SNS rejected. */
  async function publishBatch(arn: string, chunk: readonly PendingEvent[]): Promise<Set<string>> {
    const spans = chunk.map((event) =>
      startPublishSpan({ ...event, eventId: String(event.envelope.eventId), traceparent: event.traceparent ?? undefined }, arn),
    );
    const entries: PublishBatchRequestEntry[] = chunk.map((event, i) => {
      const traceparent = spans[i]!.traceparent;
      return {
        Id: event.id,
        Message: JSON.stringify(event.envelope),
        // Subscriptions filter on eventType; raw delivery turns these into SQS message attributes.
        MessageAttributes: {
          eventType: { DataType: 'String', StringValue: event.eventType },
          aggregateId: { DataType: 'String', StringValue: event.aggregateId },
          ...(traceparent ? { traceparent: { DataType: 'String', StringValue: traceparent } } : {}),
        },
      };
    });
    try {
      const failedIds = await sendBatch(arn, entries);
      endPublishSpans(spans.filter((_, i) => failedIds.has(chunk[i]!.id)), 'rejected by SNS');
      endPublishSpans(spans.filter((_, i) => !failedIds.has(chunk[i]!.id)));
      return failedIds;
    } catch (error) {
      endPublishSpans(spans, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  async function sendBatch(arn: string, entries: PublishBatchRequestEntry[]): Promise<Set<string>> {
    const result = await breaker.execute(async () => {
      const controller = new AbortController();
      const deadline = clock.setTimeout(() => controller.abort(), publishTimeoutMs);
      try {
        return await sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries }), {
          abortSignal: controller.signal,
        });
      } finally {
        clock.clearTimeout(deadline);
      }
    });
    return new Set((result.Failed ?? []).map((entry) => entry.Id!));
  }

  /** Passes until nothing is left or a pass fails; then schedules the next poll or retry. */
  function runLoop(): void {
    if (running || stopped) return;
    clearTimer();
    running = (async () => {
      let failed: boolean;
      do {
        rerun = false;
        try {
          let report: PublishReport;
          do report = await publishPending();
          while (report.more && report.failed === 0 && !stopped);
          failed = report.failed > 0;
        } catch (error) {
          failed = true;
          if (!(error instanceof BrokenCircuitError)) logger.error({ err: error }, 'outbox: relay pass failed');
        }
      } while (rerun && !failed && !stopped);
      scheduleNext(failed);
    })().finally(() => {
      running = undefined;
    });
  }

  function scheduleNext(failed: boolean): void {
    if (stopped) return;
    let delayMs = pollIntervalMs;
    if (failed) {
      failureStreak++;
      lastDelayMs = backoff(failureStreak, lastDelayMs, random);
      delayMs = Math.max(lastDelayMs, breaker.metrics().retryAfterMs ?? 0);
    } else {
      failureStreak = 0;
      lastDelayMs = 0;
    }
    timer = clock.setTimeout(() => {
      timer = undefined;
      runLoop();
    }, delayMs);
  }

  function clearTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      runLoop();
    },
    wake() {
      if (stopped) return;
      if (running) rerun = true;
      else if (failureStreak === 0) runLoop(); // while backing off, the retry timer decides
    },
    async stop() {
      stopped = true;
      clearTimer();
      await running;
    },
    publishPending,
    prunePublished: () => prunePublished(db, retentionMs),
    pendingCount: () => countPending(db),
  };
}
