// One SQS queue: messages in arrival order, visibility and delays as "visible at" times, FIFO group locks,
// deduplication, redrive to a dead-letter queue and long-poll waiters woken the moment a message becomes receivable.
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock';
import { md5Hex, md5OfMessageAttributes } from './md5';
import type { MessageAttributes } from './md5';
import { defaultAttributes, parseRedrivePolicy } from './queue-attributes';
import type { RedrivePolicy } from './queue-attributes';

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

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
}

interface Waiter {
  max: number;
  visibilityTimeout: number;
  resolve: (messages: QueuedMessage[]) => void;
  timer: TimerHandle;
}

/** How a queue reaches its dead-letter queue at the moment of a move (it may have been deleted since). */
export type QueueLookup = (arn: string) => Queue | undefined;

const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const COMPACT_THRESHOLD = 1024;

export class Queue {
  readonly fifo: boolean;
  readonly attributes: Record<string, string>;
  readonly createdTimestamp: number;
  lastModifiedTimestamp: number;
  private log: QueuedMessage[] = [];
  private head = 0;
  private deletedInLog = 0;
  private readonly byReceiptHandle = new Map<string, QueuedMessage>();
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber?: string; expiresAt: number }>();
  private sequence = 0n;
  private waiters: Waiter[] = [];
  private wakeTimer: TimerHandle | undefined;
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

  setAttributes(attributes: Record<string, string>): void {
    for (const [name, value] of Object.entries(attributes)) {
      if (value === '' && name === 'RedrivePolicy') delete this.attributes[name];
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
      // FIFO sequence numbers only grow; a large base gives them the 20-digit shape AWS returns.
      sequenceNumber: this.fifo ? (18_000_000_000_000_000_000n + ++this.sequence).toString() : undefined,
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

  /** A message moved here from a source queue by redrive: same id, body and attributes, its receive history kept. */
  acceptDeadLetter(message: QueuedMessage, sourceArn: string): void {
    const moved: QueuedMessage = {
      ...message,
      deadLetterQueueSourceArn: sourceArn,
      visibleAt: this.clock.now(),
      receiptHandle: undefined,
      deleted: false,
    };
    this.log.push(moved);
    this.onMessagesChanged();
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
        timer: this.clock.schedule(waitSeconds * 1000, () => {
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

  /** Returns false when the message is no longer in flight (its visibility expired or it was deleted). */
  changeVisibility(message: QueuedMessage, visibilityTimeout: number): boolean {
    const now = this.clock.now();
    if (message.deleted || message.visibleAt <= now) return false;
    message.visibleAt = now + visibilityTimeout * 1000;
    this.onMessagesChanged();
    return true;
  }

  purge(): void {
    for (const message of this.log) message.deleted = true;
    this.log = [];
    this.head = 0;
    this.deletedInLog = 0;
    this.byReceiptHandle.clear();
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

  /** The queue was deleted: pending long polls answer empty and timers stop. */
  close(): void {
    for (const waiter of this.waiters) {
      waiter.timer.cancel();
      waiter.resolve([]);
    }
    this.waiters = [];
    this.wakeTimer?.cancel();
    this.wakeTimer = undefined;
    this.purge();
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
        : this.clock.schedule(next - now, () => {
            this.wakeAt = Infinity;
            this.wakeTimer = undefined;
            this.onMessagesChanged();
          });
  }
}
