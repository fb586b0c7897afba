/**
 * The SQS consumer: long-polls one queue and takes each message through three named steps — `classifyMessage`
 * (pure: hopeless, or an event with its handler), `handle` (inbox record + handler in one transaction; for a handler
 * that only writes, `EventWrites`, inbox record + writes in one statement) and `settleMessage` (delete, delay or dead-letter) — deleting the message only after the transaction commits, with the
 * other messages of its receive in one DeleteMessageBatch (`createDeleteBatch`).
 *
 *  - bounded concurrency: never more than `concurrency` messages in flight; it receives only when a slot is free;
 *  - slow handlers: a visibility heartbeat keeps the message hidden while the handler works;
 *  - failures: a message that can never succeed (not JSON, invalid envelope, unknown type, no handler,
 *    UnrecoverableMessageError) goes straight to the DLQ with its reason; any other error is transient: the
 *    message becomes visible again after a delay growing with its ApproximateReceiveCount, and SQS moves it to the
 *    DLQ after maxReceiveCount receives;
 *  - `stop()` stops receiving at once and resolves when the messages in flight have finished.
 */
import { sleep, systemClock, type Clock } from '@shop/clock';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { systemTopology, type Topology } from '@shop/contracts';
import { alongside, runStatement, type Database } from '@shop/db';
import { exponentialBackoff } from '@shop/resilience';
import { requireQueueUrl } from '../aws-lookups';
import { silentLogger, type Logger } from '../logger';
import { classifyMessage, type Classification, type EventHandlers } from './classify-message';
import { findDeadLetterQueueUrl } from './dead-letter';
import { createDeleteBatch, type Acknowledgement, type DeleteBatch } from './delete-batch';
import { inboxRecord, isInboxDuplicate, recordInInbox } from './inbox';
import { settleMessage, type Disposition, type MessageOutcome } from './settle-message';
import { UnrecoverableMessageError } from './unrecoverable-message-error';
import { startVisibilityHeartbeat } from './visibility-heartbeat';
import { withConsumeSpan } from '../tracing';

export type { EventHandler, EventHandlers, EventWrites } from './classify-message';
export type { MessageOutcome } from './settle-message';

export interface ConsumerOptions {
  readonly db: Database;
  readonly sqs: Pick<SQSClient, 'send'>;
  /** The consuming service, e.g. 'order': the inbox key, and its queue's entry in the topology. */
  readonly name: string;
  /** Default: the URL of `topology.consumers[name].queue`. */
  readonly queueUrl?: string;
  readonly topology?: Topology;
  readonly handlers: EventHandlers;
  /** Messages handled at once. Default 10. */
  readonly concurrency?: number;
  /** Long-poll wait. Default 20 s (the maximum). */
  readonly waitTimeSeconds?: number;
  /** The queue's visibility timeout, which the heartbeat keeps renewing. Default: read from the queue. */
  readonly visibilityTimeoutSeconds?: number;
  /** Seconds before a message whose handler failed is retried. Default 2^(receiveCount-1), at most 5 minutes. */
  readonly retryDelaySeconds?: (receiveCount: number) => number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Called once per message with what became of it (for metrics). */
  readonly onOutcome?: (outcome: MessageOutcome, eventType: string | undefined) => void;
}

export interface Consumer {
  /** Resolves the queue (and its DLQ), then starts receiving. */
  start(): Promise<void>;
  /** Stops receiving and resolves once every message in flight is handled and deleted (or released). */
  stop(): Promise<void>;
}

/** 1, 2, 4, 8 … seconds, at most 5 minutes: the wait before the next receive of a message whose handler failed. */
export const defaultRetryDelaySeconds = (receiveCount: number): number => Math.min(300, 2 ** (receiveCount - 1));

export function createConsumer(options: ConsumerOptions): Consumer {
  const { db, sqs, name, handlers } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const concurrency = Math.max(1, options.concurrency ?? 10);
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  const retryDelaySeconds = options.retryDelaySeconds ?? defaultRetryDelaySeconds;
  const receiveBackoff = exponentialBackoff({ initialMs: 100, maxMs: 10_000 });

  let queueUrl = '';
  let deadLetterQueueUrl: string | undefined;
  let visibilityTimeoutSeconds = 30;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let receiveAbort: AbortController | undefined;
  const inFlight = new Set<Promise<void>>();
  let slotFreed: (() => void) | undefined;

  async function resolveQueue(): Promise<void> {
    if (options.queueUrl) queueUrl = options.queueUrl;
    else {
      const topology: Topology = options.topology ?? systemTopology;
      const spec = topology.consumers[name];
      if (!spec) throw new Error(`No consumer "${name}" in the topology`);
      queueUrl = await requireQueueUrl(sqs as SQSClient, spec.queue);
    }
    deadLetterQueueUrl = await findDeadLetterQueueUrl(sqs, queueUrl);
    if (!deadLetterQueueUrl) logger.warn({ queueUrl }, 'consumer: queue has no dead-letter queue');
    if (options.visibilityTimeoutSeconds !== undefined) visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    else {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
      );
      visibilityTimeoutSeconds = Number(Attributes?.VisibilityTimeout ?? 30);
    }
  }

  async function receiveLoop(): Promise<void> {
    let failures = 0;
    let lastDelayMs = 0;
    while (!stopping) {
      while (inFlight.size >= concurrency && !stopping) await new Promise<void>((resolve) => (slotFreed = resolve));
      if (stopping) break;
      receiveAbort = new AbortController();
      let messages: Message[];
      try {
        const result = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, concurrency - inFlight.size),
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: receiveAbort.signal },
        );
        messages = result.Messages ?? [];
        failures = 0;
      } catch (error) {
        if (stopping) break;
        lastDelayMs = receiveBackoff(++failures, lastDelayMs, Math.random);
        logger.error({ err: error, queueUrl, retryInMs: Math.round(lastDelayMs) }, 'consumer: receive failed');
        await sleep(clock, lastDelayMs, receiveAbort.signal).catch(() => undefined);
        continue;
      }
      if (messages.length === 0) continue;
      const deletes = createDeleteBatch({
        sqs,
        queueUrl,
        size: messages.length,
        // A handled message's invisibility has at least half the timeout left (the heartbeat renews at half):
        // waiting at most a quarter of it for its batch-mates leaves margin for the delete call itself.
        maxWaitMs: (visibilityTimeoutSeconds * 1000) / 4,
        clock,
        logger,
      });
      // Messages that arrive as stop() is called are still handled: abandoning them would only delay them.
      for (const message of messages) track(processMessage(message, deletes));
    }
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => {
      inFlight.delete(work);
      slotFreed?.();
      slotFreed = undefined;
    });
  }

  /** classify → handle → settle; the heartbeat keeps the message hidden while its handler runs. */
  async function processMessage(message: Message, deletes: DeleteBatch): Promise<void> {
    let acknowledgement: Acknowledgement | undefined;
    try {
      acknowledgement = await decideAndSettle(message);
    } finally {
      // Exactly once per message, even if something above threw: the batch is sent when every message reported.
      await deletes.settled(acknowledgement);
    }
  }

  /** The message's acknowledgement when it is to be deleted; undefined when it stays on the queue. */
  async function decideAndSettle(message: Message): Promise<Acknowledgement | undefined> {
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    const classification = classifyMessage(message.Body, handlers, name);
    const { event } = classification;
    const context = {
      consumer: name,
      messageId: message.MessageId,
      receiveCount,
      ...(event ? { eventId: event.eventId, eventType: event.eventType, aggregateId: event.aggregateId } : {}),
    };
    const disposition: Disposition =
      classification.action === 'dead-letter'
        ? { outcome: 'dead-lettered', reason: classification.reason, errors: classification.errors }
        : await withHeartbeat(message, () => handle(classification, message));
    options.onOutcome?.(disposition.outcome, event?.eventType);
    const settleOptions = { sqs, queueUrl, deadLetterQueueUrl, retryDelaySeconds, logger };
    if (!(await settleMessage(settleOptions, message, disposition, context))) return undefined;
    return { message, duplicate: disposition.outcome === 'duplicate', context };
  }

  /**
   * The inbox record and the handler in one transaction — or, for a handler that only writes, in one statement
   * (autocommit: one round trip). Either way a duplicate delivery commits nothing and is acknowledged.
   */
  async function handle(
    classification: Extract<Classification, { action: 'handle' | 'write' }>,
    message: Message,
  ): Promise<Disposition> {
    const { event } = classification;
    const traceparent = message.MessageAttributes?.traceparent?.StringValue;
    try {
      return await withConsumeSpan(name, event, traceparent, async (): Promise<Disposition> => {
        if (classification.action === 'write') {
          try {
            await runStatement(db, alongside(inboxRecord(name, event), classification.writes()));
          } catch (error) {
            if (isInboxDuplicate(error)) return { outcome: 'duplicate' };
            throw error;
          }
          return { outcome: 'handled' };
        }
        return db.transaction(async (tx): Promise<Disposition> => {
          if (!(await recordInInbox(tx, name, event))) return { outcome: 'duplicate' };
          await classification.handle(tx);
          return { outcome: 'handled' };
        });
      });
    } catch (error) {
      if (error instanceof UnrecoverableMessageError)
        return { outcome: 'dead-lettered', reason: 'unrecoverable', errors: [error.message] };
      return { outcome: 'retry-later', error };
    }
  }

  async function withHeartbeat<T>(message: Message, work: () => Promise<T>): Promise<T> {
    const heartbeat = startVisibilityHeartbeat({
      sqs,
      queueUrl,
      receiptHandle: message.ReceiptHandle!,
      visibilityTimeoutSeconds,
      clock,
      logger,
    });
    try {
      return await work();
    } finally {
      await heartbeat.stop();
    }
  }

  return {
    async start() {
      if (loop) return;
      stopping = false;
      await resolveQueue();
      loop = receiveLoop();
    },
    async stop() {
      stopping = true;
      receiveAbort?.abort();
      slotFreed?.();
      await loop;
      loop = undefined;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
