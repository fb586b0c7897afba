/**
 * The consumer's last step: what becomes of the SQS message once its fate is known. Handled or duplicate → delete;
 * a transient failure → make it visible again after a delay (SQS dead-letters it after maxReceiveCount receives);
 * hopeless → copy to the DLQ with the reason, then delete. Deleting only after the handler's transaction committed
 * is what makes the consumer at-least-once.
 */
import { ChangeMessageVisibilityCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../logger';
import { sendToDeadLetterQueue } from './dead-letter';

/** What handling a message came to. */
export type Disposition =
  | { readonly outcome: 'handled' | 'duplicate' }
  | { readonly outcome: 'retry-later'; readonly error: unknown }
  | { readonly outcome: 'dead-lettered'; readonly reason: string; readonly errors: readonly string[] };

export type MessageOutcome = Disposition['outcome'];

export interface SettleOptions {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  /** Without one, a hopeless message is left on the queue (and logged) rather than lost. */
  readonly deadLetterQueueUrl: string | undefined;
  readonly retryDelaySeconds: (receiveCount: number) => number;
  readonly logger: Logger;
}

/** SQS caps a visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Does what the disposition asks short of the delete, and says whether the message is to be deleted (handled,
 * duplicate, or safely in the DLQ): the caller deletes it with the rest of its receive (delete-batch.ts).
 */
export async function settleMessage(
  options: SettleOptions,
  message: Message,
  disposition: Disposition,
  context: { readonly receiveCount: number } & Record<string, unknown>,
): Promise<boolean> {
  const { sqs, queueUrl, deadLetterQueueUrl, logger } = options;
  const receiptHandle = message.ReceiptHandle!;
  try {
    switch (disposition.outcome) {
      case 'retry-later': {
        const delay = Math.round(options.retryDelaySeconds(context.receiveCount));
        const delaySeconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay));
        logger.warn({ ...context, err: disposition.error, retryInSeconds: delaySeconds }, 'consumer: handler failed');
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: delaySeconds,
          }),
        );
        return false;
      }
      case 'dead-lettered': {
        const reason = `${disposition.reason}: ${disposition.errors.join('; ')}`;
        if (!deadLetterQueueUrl) {
          logger.error({ ...context, reason }, 'consumer: cannot handle message and there is no DLQ; leaving it');
          return false;
        }
        await sendToDeadLetterQueue(sqs, deadLetterQueueUrl, message, reason);
        logger.error({ ...context, reason: disposition.reason, errors: disposition.errors }, 'consumer: dead-lettered');
        break;
      }
      case 'duplicate':
      case 'handled':
        break;
    }
    return true;
  } catch (error) {
    // The message reappears after its visibility timeout; the inbox makes handling it again harmless.
    logger.warn({ ...context, err: error }, 'consumer: could not acknowledge message');
    return false;
  }
}
