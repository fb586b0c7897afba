// Dead-letter queue redrive the way the AWS console does it: an asynchronous task moves the messages that were in
// the DLQ when it started, at a fixed rate or as fast as it can, back to their source queue or to a chosen one.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws-error';
import type { Clock } from '@shop/clock';
import { scheduleInBackground, type BackgroundTimer } from '../background-timer';
import type { Queue, QueuedMessage } from './queue';

export type MoveTaskStatus = 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';

/** A task as the state file keeps it; `pending` are the ids of the messages it still has to move. */
export interface MoveTaskSnapshot {
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  status: MoveTaskStatus;
  moved: number;
  toMove: number;
  startedTimestamp: number;
  failureReason?: string;
  pending: string[];
}

interface MoveTask extends Omit<MoveTaskSnapshot, 'pending'> {
  pending: Set<string>;
  timer?: BackgroundTimer;
}

/** A ListMessageMoveTasks result entry, in the JSON protocol's shape. */
export type MoveTaskEntry = Record<string, string | number>;

/** Without a rate AWS picks one; here up to this many messages a tick, ticks back to back while there is work. */
const BATCH_WITHOUT_RATE = 100;
/** How often a task looks again while the messages it still has to move are in flight or delayed. */
const IDLE_POLL_MS = 100;
/** ListMessageMoveTasks returns up to 10 tasks per source queue, so older ones are forgotten. */
const HISTORY_PER_SOURCE = 10;

export class MessageMoveTasks {
  /** Oldest first. */
  private tasks: MoveTask[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly queueByArn: (arn: string) => Queue | undefined,
  ) {}

  isRunning(sourceArn: string): boolean {
    return this.tasks.some((task) => task.sourceArn === sourceArn && isActive(task.status));
  }

  /** Starts moving every message now in `source` (the caller has validated source, destination and rate). */
  start(source: Queue, destination: Queue | undefined, maxNumberOfMessagesPerSecond: number | undefined): string {
    const ids = source.messageIds();
    const task: MoveTask = {
      handle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn })).toString('base64'),
      sourceArn: source.arn,
      destinationArn: destination?.arn,
      maxNumberOfMessagesPerSecond,
      status: 'RUNNING',
      moved: 0,
      toMove: ids.length,
      startedTimestamp: this.clock.now(),
      pending: new Set(ids),
    };
    this.tasks.push(task);
    this.forgetOldTasks(source.arn);
    this.schedule(task, 0);
    return task.handle;
  }

  /** The most recent tasks of a source queue, newest first. */
  list(sourceArn: string, max: number): MoveTaskEntry[] {
    return this.tasks
      .filter((task) => task.sourceArn === sourceArn)
      .reverse()
      .slice(0, max)
      .map(renderTask);
  }

  /** Stops a running task; what it moved stays moved. Returns how many it moved. */
  cancel(handle: string): number {
    const task = this.tasks.find((candidate) => candidate.handle === handle);
    if (!task) throw new AwsError('ResourceNotFoundException', 'Task does not exist.');
    if (task.status !== 'RUNNING') {
      throw new AwsError('UnsupportedOperation', `Only a RUNNING task can be cancelled; this one is ${task.status}.`, {
        queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
      });
    }
    task.status = 'CANCELLING';
    this.schedule(task, 0);
    return task.moved;
  }

  /** A queue was deleted or reset: its tasks (as source) end and are forgotten. */
  forgetQueue(arn: string): void {
    for (const task of this.tasks) if (task.sourceArn === arn) task.timer?.cancel();
    this.tasks = this.tasks.filter((task) => task.sourceArn !== arn);
  }

  close(): void {
    for (const task of this.tasks) task.timer?.cancel();
    this.tasks = [];
  }

  snapshot(): MoveTaskSnapshot[] {
    return this.tasks.map(({ timer: _timer, pending, ...task }) => ({ ...task, pending: [...pending] }));
  }

  /** Restores saved tasks; those that were running carry on. */
  restore(snapshots: readonly MoveTaskSnapshot[]): void {
    for (const saved of snapshots) {
      const task: MoveTask = { ...saved, pending: new Set(saved.pending) };
      this.tasks.push(task);
      if (isActive(task.status)) this.schedule(task, 0);
    }
  }

  private schedule(task: MoveTask, delayMs: number): void {
    task.timer?.cancel();
    task.timer = scheduleInBackground(this.clock, delayMs, () => this.step(task));
  }

  /** One tick: moves what the rate allows of the messages that are receivable now, then plans the next tick. */
  private step(task: MoveTask): void {
    task.timer = undefined;
    if (task.status === 'CANCELLING') {
      task.status = 'CANCELLED';
      return;
    }
    const source = this.queueByArn(task.sourceArn);
    if (!source) return this.fail(task, 'The source queue no longer exists.');
    // With a rate, one message every 1/rate seconds; without, a batch per tick.
    const budget = task.maxNumberOfMessagesPerSecond === undefined ? BATCH_WITHOUT_RATE : 1;
    const { ready, waiting } = source.movable(task.pending, budget);
    for (const message of ready) {
      const destination = this.destinationOf(task, message);
      if (typeof destination === 'string') return this.fail(task, destination);
      source.delete(message);
      destination.acceptMoved(message);
      task.moved += 1;
    }
    // Ids neither moved nor waiting were deleted by a consumer meanwhile: nothing left to move for them.
    task.pending = waiting;
    if (task.pending.size === 0) {
      task.status = 'COMPLETED';
      return;
    }
    const rate = task.maxNumberOfMessagesPerSecond;
    this.schedule(task, rate !== undefined ? 1000 / rate : ready.length > 0 ? 0 : IDLE_POLL_MS);
  }

  /** The queue a message goes to, or why it cannot go anywhere. */
  private destinationOf(task: MoveTask, message: QueuedMessage): Queue | string {
    if (task.destinationArn) {
      return this.queueByArn(task.destinationArn) ?? 'The destination queue no longer exists.';
    }
    const original = message.deadLetterQueueSourceArn;
    if (!original) {
      return `Message ${message.id} was not moved to this queue by a redrive policy, so it has no source queue to return to; give a DestinationArn.`;
    }
    return this.queueByArn(original) ?? `The source queue ${original} of message ${message.id} no longer exists.`;
  }

  private fail(task: MoveTask, reason: string): void {
    task.status = 'FAILED';
    task.failureReason = reason;
  }

  private forgetOldTasks(sourceArn: string): void {
    const ofSource = this.tasks.filter((task) => task.sourceArn === sourceArn);
    const forgotten = new Set(ofSource.slice(0, Math.max(0, ofSource.length - HISTORY_PER_SOURCE)));
    this.tasks = this.tasks.filter((task) => !forgotten.has(task));
  }
}

function isActive(status: MoveTaskStatus): boolean {
  return status === 'RUNNING' || status === 'CANCELLING';
}

/** AWS includes the handle only while the task runs, and the destination and rate only when they were given. */
function renderTask(task: MoveTask): MoveTaskEntry {
  const entry: MoveTaskEntry = {
    Status: task.status,
    SourceArn: task.sourceArn,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    StartedTimestamp: task.startedTimestamp,
  };
  if (task.status === 'RUNNING') entry.TaskHandle = task.handle;
  if (task.destinationArn) entry.DestinationArn = task.destinationArn;
  if (task.maxNumberOfMessagesPerSecond !== undefined) {
    entry.MaxNumberOfMessagesPerSecond = task.maxNumberOfMessagesPerSecond;
  }
  if (task.failureReason) entry.FailureReason = task.failureReason;
  return entry;
}
