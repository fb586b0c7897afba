// One SQS queue: messages in arrival order, visibility and delays as "visible at" times, FIFO group locks,
// deduplication, redrive to a dead-letter queue and long-poll waiters woken the moment a message becomes receivable.
import { randomUUID } from 'node:crypto';
import type { Clock } from '@shop/clock';
import { scheduleInBackground, type BackgroundTimer } from '../background-timer';
import { md5Hex, md5OfMessageAttributes } from './md5';
import type { MessageAttributes } from './md5';
import { defaultAttributes } from './queue-attributes';
import { parseRedrivePolicy } from './redrive-policy';
import type { RedrivePolicy } from './redrive-policy';

export interface QueuedMessage {
  readonly id: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: MessageAttributes;
  readonly md5OfAttributes: string | undefined;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  deadLetterQueueSourceArn?: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Earliest time a receive may return it: after its delay, or after its visibility timeout once received. */
  visibleAt: number;
  receiptHandle?: string;
  deleted: boolean;
}

/** What a sender provides; the queue assigns id, digests, timestamps and (FIFO) sequence number. */
export interface NewMessage {
  body: string;
  attributes: MessageAttributes;
  senderId: string;
  groupId?: string;
  deduplicationId?: string;
  delaySeconds: number;
}

/** What ChangeMessageVisibility found: a new timeout set, or why not. */
export type VisibilityChange = 'changed' | 'deleted' | 'expired';

/** A queue as the state file keeps it: settings, tags, every message with its receive state, FIFO history. */
export interface QueueSnapshot {
  name: string;
  arn: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdTimestamp: number;
  lastModifiedTimestamp: number;
  sequence: string;
  messages: MessageSnapshot[];
  deduplication: Array<[string, DeduplicationEntry]>;
}

export type MessageSnapshot = Omit<QueuedMessage, 'md5OfBody' | 'md5OfAttributes' | 'deleted' | 'attributes'> & {
  /** Binary values as base64. */
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
};

interface DeduplicationEntry {
  messageId: string;
  sequenceNumber?: string;
  expiresAt: number;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

interface Waiter {
  max: number;
  visibilityTimeout: number;
  resolve: (messages: QueuedMessage[]) => void;
  timer: BackgroundTimer;
}

/** How a queue reaches its dead-letter queue at the moment of a move (it may have been deleted since). */
export type QueueLookup = (arn: string) => Queue | undefined;

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const COMPACT_THRESHOLD = 1024;

export class Queue {
  readonly fifo: boolean;
  readonly attributes: Record<string, string>;
  /** Cost-allocation tags: stored and listed, never interpreted. */
  tags: Record<string, string> = {};
  createdTimestamp: number;
  lastModifiedTimestamp: number;
  private log: QueuedMessage[] = [];
  private head = 0;
  private deletedInLog = 0;
  private readonly byReceiptHandle = new Map<string, QueuedMessage>();
  private readonly deduplication = new Map<string, DeduplicationEntry>();
  private sequence = 0n;
  private waiters: Waiter[] = [];
  private wakeTimer: BackgroundTimer | undefined;
  private wakeAt = Infinity;
  private redrive: RedrivePolicy | undefined;

  constructor(
    readonly name: string,
    readonly arn: string,
    attributes: Record<string, string>,
    private readonly clock: Clock,
    private readonly lookup: QueueLookup,
  ) {
    this.fifo = name.endsWith('.fifo');
    this.attributes = { ...defaultAttributes(this.fifo), ...attributes };
    this.redrive = parseRedrivePolicy(this.attributes.RedrivePolicy);
    this.createdTimestamp = this.lastModifiedTimestamp = clock.now();
  }

  /** Sets validated attributes; an empty value removes the attribute (how SQS unsets Policy or RedrivePolicy). */
  setAttributes(attributes: Record<string, string>): void {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '') delete this.attributes[name];
      else this.attributes[name] = value;
    }
    this.redrive = parseRedrivePolicy(this.attributes.RedrivePolicy);
    this.lastModifiedTimestamp = this.clock.now();
  }

  numberAttribute(name: string): number {
    return Number(this.attributes[name]);
  }

  /** FIFO deduplication: the earlier message when the same id was sent in the last 5 minutes. */
  findDuplicate(deduplicationId: string): { messageId: string; sequenceNumber?: string } | undefined {
    const entry = this.deduplication.get(deduplicationId);
    if (entry && entry.expiresAt > this.clock.now()) return entry;
    if (entry) this.deduplication.delete(deduplicationId);
    return undefined;
  }

  enqueue(message: NewMessage): QueuedMessage {
    const now = this.clock.now();
    const stored: QueuedMessage = {
      id: randomUUID(),
      body: message.body,
      md5OfBody: md5Hex(message.body),
      attributes: message.attributes,
      md5OfAttributes: md5OfMessageAttributes(message.attributes),
      sentTimestamp: now,
      senderId: message.senderId,
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      sequenceNumber: this.fifo ? this.nextSequenceNumber() : undefined,
      receiveCount: 0,
      visibleAt: now + message.delaySeconds * 1000,
      deleted: false,
    };
    if (this.fifo && stored.deduplicationId) {
      this.pruneDeduplication(now);
      this.deduplication.set(stored.deduplicationId, {
        messageId: stored.id,
        sequenceNumber: stored.sequenceNumber,
        expiresAt: now + DEDUPLICATION_WINDOW_MS,
      });
    }
    this.log.push(stored);
    this.onMessagesChanged();
    return stored;
  }

  /**
   * A message moved here from a source queue by its redrive policy: same id, body and attributes, its receive
   * history kept. A FIFO dead-letter queue restarts the retention clock and deduplicates by the message id (SQS
   * Developer Guide: "the original message's deduplication ID will be replaced with the original message's ID").
   */
  acceptDeadLetter(message: QueuedMessage, sourceArn: string): void {
    const fifo = this.fifo
      ? { sentTimestamp: this.clock.now(), deduplicationId: message.id, sequenceNumber: this.nextSequenceNumber() }
      : {};
    this.append({ ...message, ...fifo, deadLetterQueueSourceArn: sourceArn });
  }

  /**
   * A message moved here by a message move task. "All redriven messages are treated as new messages and are
   * assigned a new messageID and enqueueTime" (SQS Developer Guide, dead-letter queue redrive): body and
   * attributes are kept, the receive count starts again, and deduplication is not applied.
   */
  acceptMoved(message: QueuedMessage): void {
    this.append({
      ...message,
      id: randomUUID(),
      sentTimestamp: this.clock.now(),
      deadLetterQueueSourceArn: undefined,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      sequenceNumber: this.fifo ? this.nextSequenceNumber() : undefined,
    });
  }

  /**
   * For a move task: up to `max` receivable messages whose ids are in `wanted` (left in place; the task deletes
   * each once it knows where it goes), and the wanted ids that are still here but not receivable now (in flight,
   * delayed, or beyond `max`).
   */
  movable(wanted: ReadonlySet<string>, max: number): { ready: QueuedMessage[]; waiting: Set<string> } {
    const now = this.clock.now();
    const ready: QueuedMessage[] = [];
    const waiting = new Set<string>();
    for (let i = this.head; i < this.log.length; i++) {
      const message = this.log[i];
      if (message.deleted || !wanted.has(message.id)) continue;
      if (message.visibleAt <= now && ready.length < max) ready.push(message);
      else waiting.add(message.id);
    }
    return { ready, waiting };
  }

  /** The ids of every message in the queue, in flight and delayed ones included. */
  messageIds(): string[] {
    const ids: string[] = [];
    for (let i = this.head; i < this.log.length; i++) if (!this.log[i].deleted) ids.push(this.log[i].id);
    return ids;
  }

  /** Takes up to `max` receivable messages, making them in flight for `visibilityTimeout` seconds. */
  receive(max: number, visibilityTimeout: number): QueuedMessage[] {
    const now = this.clock.now();
    const retentionMs = this.numberAttribute('MessageRetentionPeriod') * 1000;
    const blockedGroups = new Set<string>();
    const taken: QueuedMessage[] = [];
    for (let i = this.head; i < this.log.length && taken.length < max; i++) {
      const message = this.log[i];
      if (message.deleted) continue;
      if (message.sentTimestamp + retentionMs <= now) {
        this.remove(message);
        continue;
      }
      const group = this.fifo ? message.groupId : undefined;
      if (message.visibleAt > now) {
        // An earlier message of a FIFO group that is in flight (or delayed) holds back the rest of that group.
        if (group !== undefined) blockedGroups.add(group);
        continue;
      }
      if (group !== undefined && blockedGroups.has(group)) continue;
      if (this.redrive && message.receiveCount >= this.redrive.maxReceiveCount && this.moveToDeadLetter(message)) {
        continue;
      }
      if (message.receiptHandle) this.byReceiptHandle.delete(message.receiptHandle);
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + visibilityTimeout * 1000;
      message.receiptHandle = this.newReceiptHandle(message.id);
      this.byReceiptHandle.set(message.receiptHandle, message);
      taken.push(message);
    }
    this.compact();
    if (taken.length > 0 && this.waiters.length > 0) this.scheduleWake();
    return taken;
  }

  /**
   * Long poll: answers at once when messages are receivable, otherwise as soon as one becomes receivable
   * (sent, delay over, visibility expired) or after `waitSeconds` with none.
   */
  receiveWaiting(
    max: number,
    visibilityTimeout: number,
    waitSeconds: number,
    signal?: AbortSignal,
  ): Promise<QueuedMessage[]> {
    const ready = this.receive(max, visibilityTimeout);
    if (ready.length > 0 || waitSeconds <= 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        max,
        visibilityTimeout,
        resolve,
        timer: scheduleInBackground(this.clock, waitSeconds * 1000, () => {
          this.dropWaiter(waiter);
          resolve(this.receive(max, visibilityTimeout));
        }),
      };
      signal?.addEventListener('abort', () => {
        if (this.dropWaiter(waiter)) {
          waiter.timer.cancel();
          resolve([]);
        }
      });
      this.waiters.push(waiter);
      this.scheduleWake();
    });
  }

  findByReceiptHandle(receiptHandle: string): QueuedMessage | undefined {
    return this.byReceiptHandle.get(receiptHandle);
  }

  delete(message: QueuedMessage): void {
    this.remove(message);
    this.compact();
  }

  /**
   * Gives the message a new visibility timeout from now. On a standard queue the receipt handle stays valid until
   * the message is received again, so a message whose timeout already ran out is hidden again, as AWS does; a FIFO
   * queue's handle expires with the timeout.
   */
  changeVisibility(message: QueuedMessage, visibilityTimeout: number): VisibilityChange {
    const now = this.clock.now();
    if (message.deleted) return 'deleted';
    if (this.fifo && message.visibleAt <= now) return 'expired';
    message.visibleAt = now + visibilityTimeout * 1000;
    this.onMessagesChanged();
    return 'changed';
  }

  purge(): void {
    for (const message of this.log) message.deleted = true;
    this.log = [];
    this.head = 0;
    this.deletedInLog = 0;
    this.byReceiptHandle.clear();
  }

  /** Back to empty, settings and tags kept: messages, in-flight state and FIFO deduplication ids are dropped. */
  reset(): void {
    this.purge();
    this.deduplication.clear();
  }

  counts(): QueueCounts {
    const now = this.clock.now();
    const counts: QueueCounts = { visible: 0, inFlight: 0, delayed: 0 };
    for (let i = this.head; i < this.log.length; i++) {
      const message = this.log[i];
      if (message.deleted) continue;
      if (message.visibleAt <= now) counts.visible += 1;
      else if (message.receiveCount > 0) counts.inFlight += 1;
      else counts.delayed += 1;
    }
    return counts;
  }

  /** Drops messages past the retention period, so an unread queue does not grow without bound. */
  expireRetained(): void {
    const cutoff = this.clock.now() - this.numberAttribute('MessageRetentionPeriod') * 1000;
    for (let i = this.head; i < this.log.length; i++) {
      const message = this.log[i];
      if (!message.deleted && message.sentTimestamp <= cutoff) this.remove(message);
    }
    this.pruneDeduplication(this.clock.now());
    this.compact();
  }

  /** Pending long polls answer empty now and timers stop; the messages stay (the endpoint is shutting down). */
  endLongPolls(): void {
    for (const waiter of this.waiters) {
      waiter.timer.cancel();
      waiter.resolve([]);
    }
    this.waiters = [];
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
    this.wakeAt = Infinity;
  }

  /** The queue was deleted: pending long polls answer empty, timers stop, messages are freed. */
  close(): void {
    this.endLongPolls();
    this.purge();
  }

  snapshot(): QueueSnapshot {
    const messages: MessageSnapshot[] = [];
    for (let i = this.head; i < this.log.length; i++) {
      const message = this.log[i];
      if (message.deleted) continue;
      const { md5OfBody: _body, md5OfAttributes: _attributes, deleted: _deleted, attributes, ...rest } = message;
      messages.push({ ...rest, attributes: attributesToJson(attributes) });
    }
    return {
      name: this.name,
      arn: this.arn,
      attributes: { ...this.attributes },
      tags: { ...this.tags },
      createdTimestamp: this.createdTimestamp,
      lastModifiedTimestamp: this.lastModifiedTimestamp,
      sequence: this.sequence.toString(),
      messages,
      deduplication: [...this.deduplication],
    };
  }

  static fromSnapshot(snapshot: QueueSnapshot, clock: Clock, lookup: QueueLookup): Queue {
    const queue = new Queue(snapshot.name, snapshot.arn, snapshot.attributes, clock, lookup);
    queue.tags = { ...snapshot.tags };
    queue.createdTimestamp = snapshot.createdTimestamp;
    queue.lastModifiedTimestamp = snapshot.lastModifiedTimestamp;
    queue.sequence = BigInt(snapshot.sequence);
    for (const [id, entry] of snapshot.deduplication) queue.deduplication.set(id, entry);
    for (const saved of snapshot.messages) {
      const attributes = attributesFromJson(saved.attributes);
      const message: QueuedMessage = {
        ...saved,
        attributes,
        md5OfBody: md5Hex(saved.body),
        md5OfAttributes: md5OfMessageAttributes(attributes),
        deleted: false,
      };
      queue.log.push(message);
      if (message.receiptHandle) queue.byReceiptHandle.set(message.receiptHandle, message);
    }
    return queue;
  }

  /** FIFO sequence numbers only grow; a large base gives them the 20-digit shape AWS returns. */
  private nextSequenceNumber(): string {
    return (18_000_000_000_000_000_000n + ++this.sequence).toString();
  }

  private append(moved: QueuedMessage): void {
    this.log.push({ ...moved, visibleAt: this.clock.now(), receiptHandle: undefined, deleted: false });
    this.onMessagesChanged();
  }

  private moveToDeadLetter(message: QueuedMessage): boolean {
    const deadLetterQueue = this.redrive ? this.lookup(this.redrive.deadLetterTargetArn) : undefined;
    if (!deadLetterQueue) return false;
    this.remove(message);
    deadLetterQueue.acceptDeadLetter(message, this.arn);
    return true;
  }

  private remove(message: QueuedMessage): void {
    if (message.deleted) return;
    message.deleted = true;
    this.deletedInLog += 1;
    if (message.receiptHandle) this.byReceiptHandle.delete(message.receiptHandle);
  }

  private compact(): void {
    while (this.head < this.log.length && this.log[this.head].deleted) {
      this.head += 1;
      this.deletedInLog -= 1;
    }
    if (this.head === this.log.length) {
      this.log = [];
      this.head = 0;
      this.deletedInLog = 0;
    } else if (
      this.head + this.deletedInLog > COMPACT_THRESHOLD &&
      this.head + this.deletedInLog > this.log.length / 2
    ) {
      this.log = this.log.slice(this.head).filter((message) => !message.deleted);
      this.head = 0;
      this.deletedInLog = 0;
    }
  }

  private pruneDeduplication(now: number): void {
    for (const [id, entry] of this.deduplication) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      this.deduplication.delete(id);
    }
  }

  private newReceiptHandle(messageId: string): string {
    return Buffer.from(`${this.name} ${messageId} ${randomUUID()}`).toString('base64');
  }

  private dropWaiter(waiter: Waiter): boolean {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return false;
    this.waiters.splice(index, 1);
    return true;
  }

  /** Something may have become receivable: serve waiting long polls in arrival order. */
  private onMessagesChanged(): void {
    while (this.waiters.length > 0) {
      const waiter = this.waiters[0];
      const messages = this.receive(waiter.max, waiter.visibilityTimeout);
      if (messages.length === 0) break;
      this.waiters.shift();
      waiter.timer.cancel();
      waiter.resolve(messages);
    }
    if (this.waiters.length > 0) this.scheduleWake();
  }

  /** While long polls wait, a timer fires when the next delayed or in-flight message becomes visible. */
  private scheduleWake(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (let i = this.head; i < this.log.length; i++) {
      const message = this.log[i];
      if (!message.deleted && message.visibleAt > now && message.visibleAt < next) next = message.visibleAt;
    }
    if (next === this.wakeAt) return;
    this.wakeTimer?.cancel();
    this.wakeAt = next;
    this.wakeTimer =
      next === Infinity
        ? undefined
        : scheduleInBackground(this.clock, next - now, () => {
            this.wakeAt = Infinity;
            this.wakeTimer = undefined;
            this.onMessagesChanged();
          });
  }
}

function attributesToJson(attributes: MessageAttributes): MessageSnapshot['attributes'] {
  const result: MessageSnapshot['attributes'] = {};
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(attributes)) {
    result[name] = { DataType, StringValue, BinaryValue: BinaryValue?.toString('base64') };
  }
  return result;
}

function attributesFromJson(attributes: MessageSnapshot['attributes']): MessageAttributes {
  const result: MessageAttributes = {};
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(attributes)) {
    result[name] = {
      DataType,
      ...(StringValue !== undefined ? { StringValue } : {}),
      ...(BinaryValue !== undefined ? { BinaryValue: Buffer.from(BinaryValue, 'base64') } : {}),
    };
  }
  return result;
}
