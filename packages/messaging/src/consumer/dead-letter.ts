// Moving a message the consumer can never handle straight to its dead-letter queue, with the reason attached.
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { requireQueueUrl, queueNameOf } from '../aws-lookups';

/** SQS allows 10 message attributes; one is kept free for the reason. */
const MAX_COPIED_ATTRIBUTES = 9;
export const DEAD_LETTER_REASON_ATTRIBUTE = 'deadLetterReason';

/** The queue's dead-letter queue URL from its RedrivePolicy, or undefined if it has none. */
export async function findDeadLetterQueueUrl(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
): Promise<string | undefined> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }),
  );
  if (!Attributes?.RedrivePolicy) return undefined;
  const { deadLetterTargetArn } = JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn: string };
  return requireQueueUrl(sqs as SQSClient, queueNameOf(deadLetterTargetArn));
}

/** Sends a copy (body and attributes) to the DLQ; the caller deletes the original afterwards. */
export async function sendToDeadLetterQueue(
  sqs: Pick<SQSClient, 'send'>,
  deadLetterQueueUrl: string,
  message: Message,
  reason: string,
): Promise<void> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {}).slice(0, MAX_COPIED_ATTRIBUTES)) {
    attributes[name] = {
      DataType: value.DataType,
      ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
    };
  }
  attributes[DEAD_LETTER_REASON_ATTRIBUTE] = { DataType: 'String', StringValue: reason.slice(0, 1000) };
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: deadLetterQueueUrl,
      MessageBody: message.Body ?? '',
      MessageAttributes: attributes,
    }),
  );
}
