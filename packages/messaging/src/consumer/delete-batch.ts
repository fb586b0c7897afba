/**
 * Deletes the messages of one receive with one DeleteMessageBatch rather than a DeleteMessage each: every AWS SDK
 * call costs about a millisecond of CPU, and a busy queue hands out up to ten messages per receive.
 */
import type { Clock, TimerHandle } from '@shop/clock';
import { DeleteMessageBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../logger';

/** A message whose handling is over (its transaction committed, or it was copied to the DLQ): delete it. */
export interface Acknowledgement {
  readonly message: Message;
  readonly duplicate: boolean;
  readonly context: Record<string, unknown>;
}

export interface DeleteBatch {
  /**
   * Each message of the receive reports here exactly once: with its acknowledgement, or with none when it stays on
   * the queue (retry later, no DLQ). The report that completes the receive sends the batch, and resolves when it is
   * done; the others resolve at once.
   */
  settled(acknowledgement?: Acknowledgement): Promise<void>;
}

export function createDeleteBatch(options: {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /** How many messages the receive returned. */
  readonly size: number;
  /**
   * The longest a handled message waits for the rest of its receive. Its visibility timeout keeps running once its
   * handler (and heartbeat) stop: past it the message would be delivered again — harmless, the inbox drops it, but
   * wasted work — so a slow batch-mate must not hold it back that long.
   */
  readonly maxWaitMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}): DeleteBatch {
  const { sqs, queueUrl, clock, logger } = options;
  let remaining = options.size;
  let waiting: Acknowledgement[] = [];
  let timer: TimerHandle | undefined;
  /** A batch the timer sent early, still in flight: the last report waits for it too, so `stop()` does. */
  let sentEarly: Promise<void> = Promise.resolve();

  async function send(): Promise<void> {
    const entries = waiting;
    waiting = [];
    if (entries.length === 0) return;
    // A delete that fails only means the message is delivered again, and the inbox makes handling it again harmless.
    const notDeleted = (entry: Acknowledgement, err: unknown): void =>
      logger.warn({ ...entry.context, err }, 'consumer: could not acknowledge message');
    try {
      const { Failed = [] } = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: entries.map((entry, index) => ({ Id: String(index), ReceiptHandle: entry.message.ReceiptHandle! })),
        }),
      );
      const failed = new Map(Failed.map((failure) => [failure.Id, failure]));
      entries.forEach((entry, index) => {
        const failure = failed.get(String(index));
        if (failure) notDeleted(entry, { code: failure.Code, message: failure.Message });
        else if (entry.duplicate) logger.info(entry.context, 'consumer: duplicate delivery acknowledged');
      });
    } catch (error) {
      for (const entry of entries) notDeleted(entry, error);
    }
  }

  return {
    settled(acknowledgement) {
      remaining -= 1;
      if (acknowledgement) waiting.push(acknowledgement);
      if (remaining <= 0) {
        clock.clearTimeout(timer);
        return Promise.all([sentEarly, send()]).then(() => undefined);
      }
      if (acknowledgement && timer === undefined) {
        timer = clock.setTimeout(() => {
          timer = undefined;
          sentEarly = Promise.all([sentEarly, send()]).then(() => undefined);
        }, options.maxWaitMs);
      }
      return Promise.resolve();
    },
  };
}
