// The SQS operations, independent of wire protocol: inputs and outputs use the AWS JSON protocol's shapes
// (binary values as Buffers), so the JSON and query front ends only translate.
import { AwsError } from '../aws-error';
import type { Clock } from '@shop/clock';
import { policyWithStatement, policyWithoutStatement } from '../policy-statements';
import { ACCOUNT_ID } from '../request-context';
import type { RequestContext } from '../request-context';
import { mergedTags, tagProblem, withoutTags } from '../tags';
import { batchEntries, runBatch } from './batch';
import { md5Hex, md5OfMessageAttributes } from './md5';
import type { MessageAttributes } from './md5';
import { MessageMoveTasks } from './message-move-tasks';
import type { MoveTaskSnapshot } from './message-move-tasks';
import { messageSize, validateBody, validateMessageAttributes } from './message-validation';
import { Queue } from './queue';
import type { QueueCounts, QueuedMessage, QueueSnapshot } from './queue';
import { MIB, READABLE_ATTRIBUTES, validateAttributes } from './queue-attributes';
import { emptyQueuePolicy, queuePermissionStatement } from './queue-permissions';
import { renderMessage } from './received-message';
import { normaliseRedrivePolicy, parseRedrivePolicy } from './redrive-policy';
import {
  invalidParameterValue,
  missingParameter,
  optionalInteger,
  optionalMap,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  requiredStringList,
} from './validate';

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueState extends QueueCounts {
  name: string;
  arn: string;
  fifo: boolean;
}

/** Every queue and move task, as the state file keeps them. */
export interface SqsSnapshot {
  queues: QueueSnapshot[];
  moveTasks: MoveTaskSnapshot[];
}

export function queueArn(region: string, name: string): string {
  return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`;
}

export class SqsService {
  /** Keyed by queue ARN, so queues of different regions never collide. */
  private readonly queues = new Map<string, Queue>();
  private readonly moveTasks: MessageMoveTasks;

  constructor(private readonly clock: Clock) {
    this.moveTasks = new MessageMoveTasks(clock, (arn) => this.queues.get(arn));
  }

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
    const attributes = { ...optionalMap(input, 'Attributes') };
    if (attributes.FifoQueue === 'true' && !fifo) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
      );
    }
    validateAttributes(attributes, true, fifo);
    this.normaliseRedrive(attributes, fifo, ctx);
    const tags = optionalStringMap(input, 'tags') ?? {};
    const problem = tagProblem(tags);
    if (problem) throw invalidParameterValue(problem);
    const arn = queueArn(ctx.region, name);
    const existing = this.queues.get(arn);
    if (existing) {
      // Equal attributes return the existing queue (its tags are left as they are, as AWS does).
      for (const [key, value] of Object.entries(attributes)) {
        if ((existing.attributes[key] ?? '') !== value) {
          throw new AwsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
            { queryCode: 'QueueAlreadyExists' },
          );
        }
      }
    } else {
      const queue = new Queue(name, arn, withoutEmpty(attributes), this.clock, (target) => this.queues.get(target));
      queue.tags = { ...tags };
      this.queues.set(arn, queue);
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
    const names = this.queuesOfRegion(ctx.region)
      .filter((queue) => queue.name.startsWith(prefix))
      .map((queue) => queue.name)
      .sort();
    const { page, NextToken } = paginate(names, input);
    const output: Output = {};
    if (page.length > 0) output.QueueUrls = page.map((name) => queueUrl(ctx, name));
    if (NextToken) output.NextToken = NextToken;
    return output;
  }

  DeleteQueue(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    this.queues.delete(queue.arn);
    this.moveTasks.forgetQueue(queue.arn);
    queue.close();
    return {};
  }

  PurgeQueue(input: Input, ctx: RequestContext): Output {
    this.queueFor(input, ctx).purge();
    return {};
  }

  GetQueueAttributes(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const requested = optionalStringList(input, 'AttributeNames') ?? [];
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
    const attributes = { ...optionalMap(input, 'Attributes') };
    validateAttributes(attributes, false, queue.fifo);
    this.normaliseRedrive(attributes, queue.fifo, ctx);
    queue.setAttributes(attributes);
    return {};
  }

  ListDeadLetterSourceQueues(input: Input, ctx: RequestContext): Output {
    const target = this.queueFor(input, ctx);
    const sources = this.queuesOfRegion(ctx.region)
      .filter((queue) => parseRedrivePolicy(queue.attributes.RedrivePolicy)?.deadLetterTargetArn === target.arn)
      .map((queue) => queue.name)
      .sort();
    const { page, NextToken } = paginate(sources, input);
    return { queueUrls: page.map((name) => queueUrl(ctx, name)), ...(NextToken ? { NextToken } : {}) };
  }

  // ---- tags and permissions -----------------------------------------------------------------------------------

  TagQueue(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const tags = optionalStringMap(input, 'Tags');
    if (!tags) throw missingParameter('Tags');
    const merged = mergedTags(queue.tags, tags);
    if ('problem' in merged) throw invalidParameterValue(merged.problem);
    queue.tags = merged.tags;
    return {};
  }

  UntagQueue(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    queue.tags = withoutTags(queue.tags, requiredStringList(input, 'TagKeys'));
    return {};
  }

  ListQueueTags(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    return Object.keys(queue.tags).length > 0 ? { Tags: { ...queue.tags } } : {};
  }

  /** Adds a labelled statement to the queue's Policy attribute (policies are stored, never enforced). */
  AddPermission(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const statement = queuePermissionStatement(queue.arn, input);
    const policy = policyWithStatement(queue.attributes.Policy, () => emptyQueuePolicy(queue.arn), statement);
    if (!policy) {
      throw invalidParameterValue(`Value ${statement.Sid} for parameter Label is invalid. Reason: Already exists.`);
    }
    queue.setAttributes({ Policy: policy });
    return {};
  }

  RemovePermission(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const label = requiredString(input, 'Label');
    const removed = policyWithoutStatement(queue.attributes.Policy, label);
    if (!removed) {
      throw invalidParameterValue(
        `Value ${label} for parameter Label is invalid. Reason: can't find label on existing policy.`,
      );
    }
    queue.setAttributes({ Policy: removed.policy ?? '' });
    return {};
  }

  // ---- dead-letter queue redrive (message move tasks) ----------------------------------------------------------

  StartMessageMoveTask(input: Input, ctx: RequestContext): Output {
    const source = this.queueByArnIn(requiredString(input, 'SourceArn'), ctx, 'SourceArn');
    const destinationArn = optionalString(input, 'DestinationArn');
    const destination = destinationArn ? this.queueByArnIn(destinationArn, ctx, 'DestinationArn') : undefined;
    const rate = optionalInteger(
      input,
      'MaxNumberOfMessagesPerSecond',
      1,
      500,
      'Must be an integer from 1 to 500, if provided.',
    );
    if (!this.isDeadLetterQueue(source.arn)) {
      throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
    }
    if (destination === source) {
      throw invalidParameterValue('The destination queue must be different from the source queue.');
    }
    if (destination && destination.fifo !== source.fifo) {
      throw invalidParameterValue('The source queue and the destination queue must be of the same queue type.');
    }
    if (this.moveTasks.isRunning(source.arn)) {
      throw invalidParameterValue(
        'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
      );
    }
    return { TaskHandle: this.moveTasks.start(source, destination, rate) };
  }

  ListMessageMoveTasks(input: Input, ctx: RequestContext): Output {
    const source = this.queueByArnIn(requiredString(input, 'SourceArn'), ctx, 'SourceArn');
    const max = optionalInteger(input, 'MaxResults', 1, 10, 'Must be an integer from 1 to 10, if provided.') ?? 1;
    return { Results: this.moveTasks.list(source.arn, max) };
  }

  CancelMessageMoveTask(input: Input): Output {
    return { ApproximateNumberOfMessagesMoved: this.moveTasks.cancel(requiredString(input, 'TaskHandle')) };
  }

  // ---- messages -----------------------------------------------------------------------------------------------

  SendMessage(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    return this.send(queue, input, ctx.accessKeyId);
  }

  SendMessageBatch(input: Input, ctx: RequestContext): Output {
    const queue = this.queueFor(input, ctx);
    const entries = batchEntries(input, 'SendMessageBatchRequestEntry');
    const totalSize = entries.reduce((sum, entry) => sum + messageSize(entry.MessageBody, entry.MessageAttributes), 0);
    if (totalSize > MIB) {
      throw new AwsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MIB} bytes. You have sent ${totalSize} bytes.`,
        { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong' },
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
      ...(optionalStringList(input, 'AttributeNames') ?? []),
      ...(optionalStringList(input, 'MessageSystemAttributeNames') ?? []),
    ];
    const attributeNames = optionalStringList(input, 'MessageAttributeNames') ?? [];
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

  // ---- used by SNS delivery, the admin API, the state file and housekeeping ------------------------------------

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

  /** Forgets every queue, message and move task. */
  reset(): void {
    this.close();
  }

  /** Empties one queue (by name, URL or ARN) and ends its move tasks; returns its ARN, or undefined if unknown. */
  resetQueue(nameUrlOrArn: string, region: string): string | undefined {
    const name = nameUrlOrArn.startsWith('arn:') ? undefined : queueNameOfUrl(nameUrlOrArn);
    const queue = this.queues.get(name === undefined ? nameUrlOrArn : queueArn(region, name));
    if (!queue) return undefined;
    queue.reset();
    this.moveTasks.forgetQueue(queue.arn);
    return queue.arn;
  }

  snapshot(): SqsSnapshot {
    return {
      queues: [...this.queues.values()].map((queue) => queue.snapshot()),
      moveTasks: this.moveTasks.snapshot(),
    };
  }

  restore(snapshot: SqsSnapshot): void {
    for (const saved of snapshot.queues) {
      this.queues.set(
        saved.arn,
        Queue.fromSnapshot(saved, this.clock, (target) => this.queues.get(target)),
      );
    }
    this.moveTasks.restore(snapshot.moveTasks);
  }

  expireRetained(): void {
    for (const queue of this.queues.values()) queue.expireRetained();
  }

  /** Pending long polls answer empty now (the endpoint is closing); queues and messages stay. */
  endLongPolls(): void {
    for (const queue of this.queues.values()) queue.endLongPolls();
  }

  close(): void {
    this.moveTasks.close();
    for (const queue of this.queues.values()) queue.close();
    this.queues.clear();
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private queueFor(input: Input, ctx: RequestContext): Queue {
    const queue = this.queues.get(queueArn(ctx.region, queueNameOfUrl(requiredString(input, 'QueueUrl'))));
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  /** A queue named by ARN in a move-task request; an ARN of another region names no queue here. */
  private queueByArnIn(arn: string, ctx: RequestContext, parameter: string): Queue {
    const queue = arn.split(':')[3] === ctx.region ? this.queues.get(arn) : undefined;
    if (!queue) {
      throw new AwsError(
        'ResourceNotFoundException',
        `The resource that you specified for the ${parameter} parameter doesn't exist.`,
      );
    }
    return queue;
  }

  private queuesOfRegion(region: string): Queue[] {
    return [...this.queues.values()].filter((queue) => queue.arn.startsWith(`arn:aws:sqs:${region}:`));
  }

  private isDeadLetterQueue(arn: string): boolean {
    return [...this.queues.values()].some(
      (queue) => parseRedrivePolicy(queue.attributes.RedrivePolicy)?.deadLetterTargetArn === arn,
    );
  }

  /** Validates a RedrivePolicy in `attributes` against the queues of the caller's region and normalises it. */
  private normaliseRedrive(attributes: Record<string, string>, fifo: boolean, ctx: RequestContext): void {
    if (attributes.RedrivePolicy === undefined) return;
    attributes.RedrivePolicy = normaliseRedrivePolicy(attributes.RedrivePolicy, fifo, (arn) =>
      arn.split(':')[3] === ctx.region ? this.queues.get(arn) : undefined,
    );
  }

  private send(queue: Queue, input: Input, senderId: string): Output {
    const body = validateBody(input.MessageBody);
    const attributes = validateMessageAttributes(input.MessageAttributes);
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
      if (!groupId) throw missingParameter('MessageGroupId');
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
        { status: 404 },
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
    if (input.VisibilityTimeout === undefined) throw missingParameter('VisibilityTimeout');
    const timeout =
      optionalInteger(input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.') ?? 0;
    const message = this.messageForHandle(queue, receiptHandle);
    const change = message ? queue.changeVisibility(message, timeout) : 'deleted';
    if (change === 'deleted') {
      throw invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    if (change === 'expired') {
      throw invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
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

/** The queue name in a path-style URL (LocalStack's default) `<origin>/<account>/<name>`; any host is accepted. */
function queueNameOfUrl(url: string): string {
  return url.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
}

function queueDoesNotExist(): AwsError {
  return new AwsError('QueueDoesNotExist', 'The specified queue does not exist.', {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    // The query protocol has kept its older wording.
    queryMessage: 'The specified queue does not exist for this wsdl version.',
  });
}

/** Attribute values of '' mean "not set"; a new queue simply does not get them. */
function withoutEmpty(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== ''));
}

/** MaxResults (1–1000) and NextToken, as ListQueues and ListDeadLetterSourceQueues page; all when no MaxResults. */
function paginate(items: string[], input: Input): { page: string[]; NextToken?: string } {
  const max = optionalInteger(input, 'MaxResults', 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
  if (max === undefined) return { page: items };
  const start = Number(optionalString(input, 'NextToken') ?? 0) || 0;
  const next = start + max < items.length ? String(start + max) : undefined;
  return { page: items.slice(start, start + max), ...(next ? { NextToken: next } : {}) };
}
