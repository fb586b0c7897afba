// The SQS operations, independent of wire protocol: inputs and outputs use the AWS JSON protocol's shapes
// (binary values as Buffers), so the JSON and query front ends only translate.
import { AwsError } from '../aws-error';
import type { Clock } from '../clock';
import { ACCOUNT_ID } from '../request-context';
import type { RequestContext } from '../request-context';
import { md5Hex, md5OfMessageAttributes } from './md5';
import type { MessageAttributes } from './md5';
import { messageSize, validateBody, validateMessageAttributes } from './message-validation';
import { Queue } from './queue';
import type { QueueCounts, QueuedMessage } from './queue';
import { MIB, READABLE_ATTRIBUTES, validateAttributes } from './queue-attributes';
import {
  invalidParameterValue,
  optionalInteger,
  optionalList,
  optionalMap,
  optionalString,
  requiredString,
} from './validate';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const MAX_BATCH_ENTRIES = 10;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
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

export interface QueueState extends QueueCounts {
  name: string;
  arn: string;
  fifo: boolean;
}

export function queueArn(region: string, name: string): string {
  return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`;
}

export class SqsService {
  /** Keyed by queue ARN, so queues of different regions never collide. */
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly clock: Clock) {}

  // ---- queues -------------------------------------------------------------------------------------------------

  CreateQueue(input: Input, ctx: RequestContext): Output {
    const name = requiredString(input, 'QueueName');
    const fifo = name.endsWith('.fifo');
    const baseName = fifo ? name.slice(0, -'.fifo'.length) : name;
    if (!QUEUE_NAME.test(baseName)) {
      throw invalidParameterValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const attributes = optionalMap(input, 'Attributes') ?? {};
    if (attributes.FifoQueue === 'true' && !fifo) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    validateAttributes(attributes, true, fifo);
    const arn = queueArn(ctx.region, name);
    const existing = this.queues.get(arn);
    if (existing) {
      for (const [key, value] of Object.entries(attributes)) {
        if (existing.attributes[key] !== value) {
          throw new AwsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
            400,
            'QueueAlreadyExists',
          );
        }
      }
    } else {
      this.queues.set(arn, new Queue(name, arn, attributes, this.clock, (target) => this.queues.get(target)));
    }
    return { QueueUrl: queueUrl(ctx, name) };
  }

  GetQueueUrl(input: Input, ctx: RequestContext): Output {
    const name = requiredString(input, 'QueueName');
    if (!this.queues.has(queueArn(ctx.region, name))) throw queueDoesNotExist();
    return { QueueUrl: queueUrl(ctx, name) };
  }

  ListQueues(input: Input, ctx: RequestContext): Output {
    const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
    const maxResults = optionalInteger(
      input,
      'MaxResults',
      1,
      1000,
      'MaxResults must be an integer between 1 and 1000.',
    );
    const start = Number(optionalString(input, 'NextToken') ?? 0) || 0;
    const names = [...this.queues.values()]
      .filter((queue) => queue.arn.startsWith(`arn:aws:sqs:${ctx.region}:`) && queue.name.startsWith(prefix))
      .map((queue) => queue.name)
      .sort();
    const page = maxResults === undefined ? names : names.slice(start, start + maxResults);
    const output: Output = {};
    if (page.length > 0) output.QueueUrls = page.map((name) => queueUrl(ctx, name));
    if (maxResults !== undefined && start + maxResults < names.length) output.NextToken = String(start + maxResults);
    return output;
  }

  DeleteQueue(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    this.queues.delete(queue.arn);
    queue.close();
    return {};
  }

  PurgeQueue(input: Input, ctx: RequestContext): Output {
    this.queueFor(input, ctx).purge();
    return {};
  }

  GetQueueAttributes(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const requested = optionalList<string>(input, 'AttributeNames') ?? [];
    for (const name of requested) {
      if (name !== 'All' && !READABLE_ATTRIBUTES.has(name))
        throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
    if (requested.length === 0) return {};
    const all = this.allAttributes(queue);
    const wanted = requested.includes('All') ? Object.keys(all) : requested;
    const attributes: Record<string, string> = {};
    for (const name of wanted) if (all[name] !== undefined) attributes[name] = all[name];
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  }

  SetQueueAttributes(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const attributes = optionalMap(input, 'Attributes') ?? {};
    validateAttributes(attributes, false, queue.fifo);
    queue.setAttributes(attributes);
    return {};
  }

  ListDeadLetterSourceQueues(input: Input, ctx: RequestContext): Output {
    const target = this.queueFor(input, ctx);
    const sources = [...this.queues.values()].filter((queue) =>
      queue.attributes.RedrivePolicy?.includes(`"${target.arn}"`),
    );
    return { queueUrls: sources.map((queue) => queueUrl(ctx, queue.name)) };
  }

  // ---- messages -----------------------------------------------------------------------------------------------

  SendMessage(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    return this.send(queue, input, ctx.accessKeyId);
  }

  SendMessageBatch(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
    const totalSize = entries.reduce(
      (sum, entry) =>
        sum + messageSize(String(entry.MessageBody ?? ''), (entry.MessageAttributes ?? {}) as MessageAttributes),
      0,
    );
    if (totalSize > MIB) {
      throw new AwsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MIB} bytes. You have sent ${totalSize} bytes.`,
        400,
        'AWS.SimpleQueueService.BatchRequestTooLong',
      );
    }
    return runBatch(entries, (entry) => this.send(queue, entry, ctx.accessKeyId));
  }

  async ReceiveMessage(input: Input, ctx: RequestContext): Promise<Output> {
    const queue = this.queueFor(input, ctx);
    const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
    const visibilityTimeout =
      optionalInteger(input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.') ??
      queue.numberAttribute('VisibilityTimeout');
    const waitSeconds =
      optionalInteger(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ??
      queue.numberAttribute('ReceiveMessageWaitTimeSeconds');
    const systemNames = [
      ...(optionalList<string>(input, 'AttributeNames') ?? []),
      ...(optionalList<string>(input, 'MessageSystemAttributeNames') ?? []),
    ];
    const attributeNames = optionalList<string>(input, 'MessageAttributeNames') ?? [];
    const messages = await queue.receiveWaiting(
      max,
      visibilityTimeout,
      waitSeconds,
      waitSeconds > 0 ? ctx.signal : undefined,
    );
    if (messages.length === 0) return {};
    return { Messages: messages.map((message) => renderMessage(message, systemNames, attributeNames)) };
  }

  DeleteMessage(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    this.deleteByHandle(queue, requiredString(input, 'ReceiptHandle'));
    return {};
  }

  DeleteMessageBatch(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const entries = batchEntries(input, 'DeleteMessageBatchRequestEntry');
    return runBatch(entries, (entry) => {
      this.deleteByHandle(queue, requiredString(entry, 'ReceiptHandle'));
      return {};
    });
  }

  ChangeMessageVisibility(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    this.changeVisibility(queue, input);
    return {};
  }

  ChangeMessageVisibilityBatch(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const entries = batchEntries(input, 'ChangeMessageVisibilityBatchRequestEntry');
    return runBatch(entries, (entry) => {
      this.changeVisibility(queue, entry);
      return {};
    });
  }

  // ---- used by SNS delivery, the state endpoint and housekeeping ---------------------------------------------

  queueByArn(arn: string): Queue | undefined {
    return this.queues.get(arn);
  }

  /** Enqueues a message from another service (SNS), skipping request validation that does not apply to it. */
  deliver(
    queue: Queue,
    body: string,
    attributes: MessageAttributes,
    senderId: string,
    groupId?: string,
    deduplicationId?: string,
  ): void {
    if (deduplicationId && queue.findDuplicate(deduplicationId)) return;
    queue.enqueue({
      body,
      attributes,
      senderId,
      groupId: queue.fifo ? groupId : undefined,
      deduplicationId: queue.fifo ? deduplicationId : undefined,
      delaySeconds: queue.fifo ? 0 : queue.numberAttribute('DelaySeconds'),
    });
  }

  state(): QueueState[] {
    return [...this.queues.values()].map((queue) => ({
      name: queue.name,
      arn: queue.arn,
      fifo: queue.fifo,
      ...queue.counts(),
    }));
  }

  expireRetained(): void {
    for (const queue of this.queues.values()) queue.expireRetained();
  }

  close(): void {
    for (const queue of this.queues.values()) queue.close();
    this.queues.clear();
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private queueFor(input: Input, ctx: RequestContext): Queue {
    const url = requiredString(input, 'QueueUrl');
    // Path-style URL (LocalStack's default): <origin>/<account>/<name>; the host part may differ from ours.
    const name = url.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
    const queue = this.queues.get(queueArn(ctx.region, name));
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  private send(queue: Queue, input: Input, senderId: string): Output {
    const body = validateBody(input.MessageBody);
    const attributes = (input.MessageAttributes ?? {}) as MessageAttributes;
    validateMessageAttributes(attributes);
    const maxSize = queue.numberAttribute('MaximumMessageSize');
    if (messageSize(body, attributes) > maxSize) {
      throw invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`,
      );
    }
    const delay = optionalInteger(input, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
    const groupId = optionalString(input, 'MessageGroupId');
    let deduplicationId = optionalString(input, 'MessageDeduplicationId');
    if (queue.fifo) {
      if (delay !== undefined && delay > 0) {
        throw invalidParameterValue(
          `Value ${delay} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
        );
      }
      if (!groupId) throw new AwsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (!deduplicationId) {
        if (queue.attributes.ContentBasedDeduplication !== 'true') {
          throw invalidParameterValue(
            'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
          );
        }
        deduplicationId = md5Hex(body); // AWS uses SHA-256 of the body; any content digest dedups identically
      }
      const duplicate = queue.findDuplicate(deduplicationId);
      if (duplicate) {
        return {
          MessageId: duplicate.messageId,
          MD5OfMessageBody: md5Hex(body),
          MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
          SequenceNumber: duplicate.sequenceNumber,
        };
      }
    } else if (deduplicationId) {
      throw invalidParameterValue(
        'The request includes a parameter that is not valid for this queue type. Reason: MessageDeduplicationId can only be used with FIFO queues.',
      );
    }
    const message = queue.enqueue({
      body,
      attributes,
      senderId,
      groupId,
      deduplicationId,
      delaySeconds: delay ?? queue.numberAttribute('DelaySeconds'),
    });
    const output: Output = { MessageId: message.id, MD5OfMessageBody: message.md5OfBody };
    if (message.md5OfAttributes) output.MD5OfMessageAttributes = message.md5OfAttributes;
    if (message.sequenceNumber) output.SequenceNumber = message.sequenceNumber;
    return output;
  }

  private messageForHandle(queue: Queue, receiptHandle: string): QueuedMessage | undefined {
    const decoded = Buffer.from(receiptHandle, 'base64').toString('utf8').split(' ');
    if (decoded.length !== 3 || decoded[0] !== queue.name) {
      throw new AwsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
        404,
      );
    }
    return queue.findByReceiptHandle(receiptHandle);
  }

  /** Deleting with a well-formed but stale handle succeeds, as on AWS. */
  private deleteByHandle(queue: Queue, receiptHandle: string): void {
    const message = this.messageForHandle(queue, receiptHandle);
    if (message) queue.delete(message);
  }

  private changeVisibility(queue: Queue, input: Input): void {
    const receiptHandle = requiredString(input, 'ReceiptHandle');
    if (input.VisibilityTimeout === undefined)
      throw new AwsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
    const timeout =
      optionalInteger(input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.') ?? 0;
    const message = this.messageForHandle(queue, receiptHandle);
    if (!message || !queue.changeVisibility(message, timeout)) {
      throw invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
  }

  private allAttributes(queue: Queue): Record<string, string> {
    const counts = queue.counts();
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
      ...queue.attributes,
    };
  }
}

export function queueUrl(ctx: RequestContext, name: string): string {
  return `${ctx.origin}/${ACCOUNT_ID}/${name}`;
}

function queueDoesNotExist(): AwsError {
  return new AwsError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
    400,
    'AWS.SimpleQueueService.NonExistentQueue',
  );
}

function batchEntries(input: Input, entryType: string): Input[] {
  const entries = optionalList<Input>(input, 'Entries') ?? [];
  if (entries.length === 0) {
    throw new AwsError(
      'EmptyBatchRequest',
      `There should be at least one ${entryType} in the request.`,
      400,
      'AWS.SimpleQueueService.EmptyBatchRequest',
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new AwsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      400,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = typeof entry.Id === 'string' ? entry.Id : '';
    if (!BATCH_ENTRY_ID.test(id)) {
      throw new AwsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        400,
        'AWS.SimpleQueueService.InvalidBatchEntryId',
      );
    }
    if (seen.has(id)) {
      throw new AwsError(
        'BatchEntryIdsNotDistinct',
        `Id ${id} repeated.`,
        400,
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      );
    }
    seen.add(id);
  }
  return entries;
}

/** Runs each entry on its own: one entry's error becomes a Failed item, never the whole request's error. */
function runBatch(entries: Input[], run: (entry: Input) => Output): Output {
  const successful: Output[] = [];
  const failed: Output[] = [];
  for (const entry of entries) {
    try {
      successful.push({ Id: entry.Id, ...run(entry) });
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      failed.push({
        Id: entry.Id,
        SenderFault: error.fault === 'Sender',
        Code: error.queryCode,
        Message: error.message,
      });
    }
  }
  return { Successful: successful, Failed: failed };
}

/** A received message as SQS returns it, with only the system and message attributes the caller asked for. */
function renderMessage(message: QueuedMessage, systemNames: string[], attributeNames: string[]): Output {
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
