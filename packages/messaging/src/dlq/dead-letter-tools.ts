// Looking into a consumer's dead-letter queue and moving messages back to the queue once the cause is fixed.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { deadLetterQueueName } from '@shop/contracts';
import { requireQueueUrl } from '../aws-lookups';
import { DEAD_LETTER_REASON_ATTRIBUTE } from '../consumer/dead-letter';

export interface DeadLetter {
  readonly messageId: string;
  readonly eventType?: string;
  readonly eventId?: string;
  readonly aggregateId?: string;
  /** Set when the consumer dead-lettered it; absent when SQS moved it after maxReceiveCount. */
  readonly reason?: string;
  readonly receiveCount: number;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

/** How long listed messages stay hidden while we look; they are released again right after. */
const PEEK_SECONDS = 30;

/** Up to `max` messages of `<queue>-dlq`, left in place. */
export async function listDeadLetters(sqs: SQSClient, queue: string, max = 100): Promise<DeadLetter[]> {
  const dlqUrl = await requireQueueUrl(sqs, deadLetterQueueName(queue));
  const messages = await receiveUpTo(sqs, dlqUrl, max);
  await release(sqs, dlqUrl, messages);
  return messages.map(describe);
}

export interface RedriveOptions {
  /** How often to look at the move task's progress (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** Give up waiting after this long (default 10 min); the task itself carries on. */
  readonly timeoutMs?: number;
}

/**
 * Moves messages from `<queue>-dlq` back to `<queue>`; returns how many. All of them: with a message move task
 * (StartMessageMoveTask, what the AWS console's "Start DLQ redrive" does — SQS moves them, at its own pace, and
 * the same call works on AWS, LocalStack and local-aws), waiting until it has finished. Only some (`messageIds`):
 * a move task cannot pick messages, so those are copied back and deleted one by one.
 */
export async function redriveDeadLetters(
  sqs: SQSClient,
  queue: string,
  messageIds?: readonly string[],
  options: RedriveOptions = {},
): Promise<number> {
  const [queueUrl, dlqUrl] = await Promise.all([
    requireQueueUrl(sqs, queue),
    requireQueueUrl(sqs, deadLetterQueueName(queue)),
  ]);
  if (messageIds) return copySelectedBack(sqs, dlqUrl, queueUrl, new Set(messageIds));
  const [queueArn, dlqArn] = await Promise.all([queueArnOf(sqs, queueUrl), queueArnOf(sqs, dlqUrl)]);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: queueArn }));
  const task = await finishedMoveTask(sqs, dlqArn, options);
  if (task.Status === 'FAILED') {
    throw new Error(`redrive of ${deadLetterQueueName(queue)} failed: ${task.FailureReason ?? 'no reason given'}`);
  }
  return task.ApproximateNumberOfMessagesMoved ?? 0;
}

/** Polls the DLQ's most recent move task (only one runs per queue, so it is ours) until it is no longer running. */
async function finishedMoveTask(
  sqs: SQSClient,
  dlqArn: string,
  { pollIntervalMs = 500, timeoutMs = 600_000 }: RedriveOptions,
): Promise<ListMessageMoveTasksResultEntry> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 1 }));
    const task = Results[0];
    if (task && task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') return task;
    if (Date.now() > deadline) {
      throw new Error(
        `the redrive of ${dlqArn} is still running after ${timeoutMs} ms; follow it with aws sqs list-message-move-tasks`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
  }
}

async function copySelectedBack(
  sqs: SQSClient,
  dlqUrl: string,
  queueUrl: string,
  wanted: ReadonlySet<string>,
): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch = await receiveUpTo(sqs, dlqUrl, 10);
    if (batch.length === 0) break;
    const selected = batch.filter((message) => wanted.has(message.MessageId!));
    await release(
      sqs,
      dlqUrl,
      batch.filter((message) => !selected.includes(message)),
    );
    for (const message of selected) {
      const attributes: Record<string, MessageAttributeValue> = { ...message.MessageAttributes };
      delete attributes[DEAD_LETTER_REASON_ATTRIBUTE];
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body!, MessageAttributes: attributes }),
      );
      // Deleted only after the copy is safely in the source queue: a crash in between duplicates, never loses.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle! }));
      moved++;
    }
    if (selected.length === 0) break; // the rest is hidden for PEEK_SECONDS; stop rather than spin
  }
  return moved;
}

async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes!.QueueArn!;
}

async function receiveUpTo(sqs: SQSClient, queueUrl: string, max: number): Promise<Message[]> {
  const messages: Message[] = [];
  while (messages.length < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - messages.length),
        VisibilityTimeout: PEEK_SECONDS,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  return messages;
}

async function release(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += 10) {
    const entries = messages.slice(start, start + 10).map((message, index) => ({
      Id: String(index),
      ReceiptHandle: message.ReceiptHandle!,
      VisibilityTimeout: 0,
    }));
    await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
  }
}

function describe(message: Message): DeadLetter {
  let envelope: { eventType?: string; eventId?: string; aggregateId?: string } = {};
  try {
    envelope = JSON.parse(message.Body ?? '');
  } catch {
    // Unparseable bodies are a reason to be here; show them as they are.
  }
  const attributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
  );
  const reason = attributes[DEAD_LETTER_REASON_ATTRIBUTE];
  return {
    messageId: message.MessageId!,
    ...(typeof envelope.eventType === 'string' ? { eventType: envelope.eventType } : {}),
    ...(typeof envelope.eventId === 'string' ? { eventId: envelope.eventId } : {}),
    ...(typeof envelope.aggregateId === 'string' ? { aggregateId: envelope.aggregateId } : {}),
    ...(reason !== undefined ? { reason } : {}),
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    body: message.Body ?? '',
    attributes,
  };
}
