/**
 * The outbox relay: moves committed outbox rows to SNS. Three pieces: `planPublishRounds` (pure: which events go
 * out together without reordering an aggregate), an SNS batch publisher (circuit breaker around a timeout), and
 * the shared PollingLoop — woken by the service right after a commit (no polling delay on the happy path), polling
 * as a safety net, backing off behind the breaker while SNS fails.
 * A pass is claim → publish → settle (outbox-store.ts): two single statements, no transaction open while SNS is
 * called, so a slow SNS holds no row lock (and, on PGlite's single connection, does not stall the service's writes).
 * Delivery is at-least-once: a crash after publishing but before settling leaves the claim to expire, the rows are
 * published again, and the inbox deduplicates.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@shop/clock';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Database } from '@shop/db';
import {
  BrokenCircuitError,
  CircuitBreaker,
  exponentialBackoff,
  PollingLoop,
  TimeoutPolicy,
  type Backoff,
} from '@shop/resilience';
import { findTopicArn } from '../aws-lookups';
import { silentLogger, type Logger } from '../logger';
import {
  claimPendingEvents,
  countPending,
  DEFAULT_OUTBOX_RETENTION_MS,
  prunePublished,
  settleClaim,
  type PendingEvent,
} from './outbox-store';
import { batchesOfRound, planPublishRounds } from './publish-rounds';
import { createSnsBatchPublisher } from './sns-batch-publisher';

interface PublishOutcome {
  readonly published: string[];
  readonly failed: string[];
  readonly error?: string;
  /** The pass stopped before trying every claimed event (SNS failing, or too little lease left). */
  readonly cutShort: boolean;
}

const idsOf = (events: readonly PendingEvent[]): string[] => events.map((event) => event.id);

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
  /** Bounds how long one PublishBatch can take. Default 5000 ms. */
  readonly publishTimeoutMs?: number;
  /**
   * How long claimed rows stay this relay's, on `clock`. Another relay takes them over only after this, so it bounds
   * how long a crashed relay delays its events. Must exceed `publishTimeoutMs`. Default 2 × publishTimeoutMs + 1 s.
   */
  readonly claimLeaseMs?: number;
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
  /** Publish now (call after a transaction that enqueued events commits). Cheap when nothing is pending: one statement. */
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
  const claimLeaseMs = options.claimLeaseMs ?? 2 * publishTimeoutMs + 1000;
  if (claimLeaseMs <= publishTimeoutMs) {
    throw new Error(
      `createOutboxRelay: claimLeaseMs (${claimLeaseMs}) must exceed publishTimeoutMs (${publishTimeoutMs})`,
    );
  }
  const relayId = randomUUID();
  const backoff = options.backoff ?? exponentialBackoff({ initialMs: 200, maxMs: 30_000 });
  const breaker =
    options.breaker ??
    new CircuitBreaker({ name: 'outbox-sns', consecutiveFailures: 5, openDurationMs: 10_000, clock });
  const publishBatch = createSnsBatchPublisher({
    sns,
    breaker,
    timeout: new TimeoutPolicy(publishTimeoutMs, { clock }),
  });
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

  async function publishPending(): Promise<PublishReport> {
    const arn = await resolveTopicArn();
    const now = clock.now();
    const leaseUntil = now + claimLeaseMs;
    const events = await claimPendingEvents(db, {
      relayId,
      now,
      leaseUntil,
      maxAggregates: batchSize,
      maxEvents: batchSize,
    });
    if (events.length === 0) return { published: 0, failed: 0, more: false };
    // No transaction is open from here to the settle: the claim alone keeps other relays off these aggregates.
    const { published, failed, error, cutShort } = await publishInAggregateOrder(arn, events, leaseUntil);
    const { lost } = await settleClaim(db, { relayId, claimed: idsOf(events), published, failed, error: error ?? '' });
    if (failed.length > 0) logger.warn({ failed: failed.length, err: error }, 'outbox: publishing to SNS failed');
    if (lost > 0) logger.warn({ lost, relayId }, 'outbox: claim expired and was taken over before settling');
    return { published: published.length, failed: failed.length, more: cutShort || events.length === batchSize };
  }

  /**
   * Publishes the claimed events round by round (see publish-rounds.ts). A rejected entry blocks its aggregate for
   * the rest of the pass; a call that throws (SNS unreachable, circuit open) ends the pass, since the rest of it
   * would fail the same way. No call starts that its timeout could carry past the lease: by then another relay may
   * have taken the rows over, and two relays publishing one aggregate at once could reorder it.
   */
  async function publishInAggregateOrder(
    arn: string,
    events: readonly PendingEvent[],
    leaseUntil: number,
  ): Promise<PublishOutcome> {
    const published: string[] = [];
    const rejectedIds: string[] = [];
    const blocked = new Set<string>();
    const rejectedOutcome = (cutShort: boolean): PublishOutcome =>
      rejectedIds.length === 0
        ? { published, failed: [], cutShort }
        : { published, failed: rejectedIds, error: 'PublishBatch rejected some entries', cutShort };
    for (const round of planPublishRounds(events)) {
      for (const batch of batchesOfRound(round, blocked)) {
        if (clock.now() + publishTimeoutMs > leaseUntil) return rejectedOutcome(true);
        let rejected: ReadonlySet<string>;
        try {
          rejected = await publishBatch(arn, batch);
        } catch (cause) {
          const error = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
          return { published, failed: [...rejectedIds, ...idsOf(batch)], error, cutShort: true };
        }
        for (const event of batch) {
          if (!rejected.has(event.id)) published.push(event.id);
          else {
            rejectedIds.push(event.id);
            blocked.add(event.aggregateId);
          }
        }
      }
    }
    // The events of a blocked aggregate after the rejected one were not tried: settling releases them as they are.
    return rejectedOutcome(false);
  }

  // A pass that could not publish everything counts as failed: the loop backs off (at least as long as the circuit
  // stays open) instead of spinning on a broker that is down.
  const loop = new PollingLoop({
    clock,
    pollIntervalMs,
    backoff,
    random,
    minRetryDelayMs: () => breaker.metrics().retryAfterMs,
    runPass: async () => {
      const report = await publishPending();
      return report.failed > 0 ? 'failed' : report.more ? 'more' : 'idle';
    },
    onError: (error) => {
      if (!(error instanceof BrokenCircuitError)) logger.error({ err: error }, 'outbox: relay pass failed');
    },
  });

  return {
    start: () => loop.start(),
    wake: () => loop.wake(),
    stop: () => loop.stop(),
    publishPending,
    prunePublished: () => prunePublished(db, retentionMs),
    pendingCount: () => countPending(db),
  };
}
