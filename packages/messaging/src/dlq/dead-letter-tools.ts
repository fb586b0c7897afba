// Looking into a consumer's dead-letter queue and moving messages back to the queue once the cause is fixed.
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
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

/** Moves messages (all, or those with the given ids) from `<queue>-dlq` back to `<queue>`; returns how many. */
export async function redriveDeadLetters(
  sqs: SQSClient,
  queue: string,
  messageIds?: readonly string[],
): Promise<number> {
  const [queueUrl, dlqUrl] = await Promise.all([
    requireQueueUrl(sqs, queue),
    requireQueueUrl(sqs, deadLetterQueueName(queue)),
  ]);
  const wanted = messageIds ? new Set(messageIds) : undefined;
  let moved = 0;
  for (;;) {
    const batch = await receiveUpTo(sqs, dlqUrl, 10);
    if (batch.length === 0) break;
    const selected = batch.filter((message) => !wanted || wanted.has(message.MessageId!));
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
    if (wanted && selected.length === 0) break; // the rest is hidden for PEEK_SECONDS; stop rather than spin
  }
  return moved;
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
