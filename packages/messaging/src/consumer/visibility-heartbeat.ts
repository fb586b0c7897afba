// Keeps a message invisible while its handler is still working, so a slow handler does not cause a redelivery.
import type { Clock, TimerHandle } from '@shop/clock';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../logger';

export interface VisibilityHeartbeat {
  /** Stops extending; waits for an extension in flight so it cannot overwrite what the caller does next. */
  stop(): Promise<void>;
}

export function startVisibilityHeartbeat(options: {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly queueUrl: string;
  readonly receiptHandle: string;
  readonly visibilityTimeoutSeconds: number;
  readonly clock: Clock;
  readonly logger: Logger;
}): VisibilityHeartbeat {
  const { sqs, queueUrl, receiptHandle, visibilityTimeoutSeconds, clock, logger } = options;
  // Extend at half the timeout: a late or failed extension still leaves the other half as margin.
  const intervalMs = Math.max(100, (visibilityTimeoutSeconds * 1000) / 2);
  let stopped = false;
  let timer: TimerHandle | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const schedule = (): void => {
    timer = clock.setTimeout(() => {
      inFlight = sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: visibilityTimeoutSeconds,
          }),
        )
        .then(
          () => undefined,
          (error: unknown) => logger.warn({ err: error }, 'consumer: visibility heartbeat failed'),
        )
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clock.clearTimeout(timer);
      await inFlight;
    },
  };
}
