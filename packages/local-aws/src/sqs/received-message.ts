// A received message as ReceiveMessage returns it: only the system and message attributes the caller asked for,
// with the attribute digest computed over exactly those.
import { md5OfMessageAttributes } from './md5';
import type { MessageAttributes } from './md5';
import type { QueuedMessage } from './queue';

type Output = Record<string, unknown>;

const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
];

/** A received message as SQS returns it, with only the system and message attributes the caller asked for. */
export function renderMessage(message: QueuedMessage, systemNames: string[], attributeNames: string[]): Output {
  const rendered: Output = {
    MessageId: message.id,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  const system = systemAttributes(message, systemNames);
  if (Object.keys(system).length > 0) rendered.Attributes = system;
  const selected = selectMessageAttributes(message.attributes, attributeNames);
  const md5 = md5OfMessageAttributes(selected);
  if (md5) {
    rendered.MD5OfMessageAttributes = md5;
    rendered.MessageAttributes = selected;
  }
  return rendered;
}

function systemAttributes(message: QueuedMessage, names: string[]): Record<string, string> {
  const wanted = names.includes('All') ? SYSTEM_ATTRIBUTES : names;
  const values: Record<string, string | undefined> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentTimestamp),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp:
      message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.deduplicationId,
    MessageGroupId: message.groupId,
    DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
  const result: Record<string, string> = {};
  for (const name of wanted) {
    const value = values[name];
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** `All` / `.*`, exact names, and `prefix.*` patterns, as ReceiveMessage's MessageAttributeNames allows. */
function selectMessageAttributes(attributes: MessageAttributes, names: string[]): MessageAttributes {
  if (names.length === 0) return {};
  const all = names.includes('All') || names.includes('.*');
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -1));
  const selected: MessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (all || names.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))) selected[name] = value;
  }
  return selected;
}
