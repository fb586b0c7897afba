// The message move task model on fake time: the rate limit, messages in flight, cancelling and failures,
// without waiting for real seconds.
import { MessageMoveTasks } from '../src/sqs/message-move-tasks';
import { Queue } from '../src/sqs/queue';
import { FakeClock } from '@shop/clock';

/** Fake time starts at a real date: the queue stamps messages with wall-clock times. */
const START = 1_700_000_000_000;

function setUp(messages: number) {
  const clock = new FakeClock(START);
  const queues = new Map<string, Queue>();
  const lookup = (arn: string) => queues.get(arn);
  const queue = (name: string) => {
    const created = new Queue(name, `arn:aws:sqs:us-east-1:000000000000:${name}`, {}, clock, lookup);
    queues.set(created.arn, created);
    return created;
  };
  const dlq = queue('dlq');
  const destination = queue('work');
  for (let i = 0; i < messages; i++) dlq.enqueue({ body: `m${i}`, attributes: {}, senderId: 'x', delaySeconds: 0 });
  const tasks = new MessageMoveTasks(clock, lookup);
  const latest = () => tasks.list(dlq.arn, 1)[0];
  return { clock, queues, dlq, destination, tasks, latest };
}

it('moves no faster than MaxNumberOfMessagesPerSecond', async () => {
  const { clock, dlq, destination, tasks, latest } = setUp(5);
  tasks.start(dlq, destination, 2);
  await clock.advance(999);
  expect(latest()).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 2 });
  await clock.advance(1_001);
  expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 5 });
  expect(destination.counts().visible).toBe(5);
});

it('without a rate moves everything at once, in batches', async () => {
  const { clock, dlq, destination, tasks, latest } = setUp(250);
  tasks.start(dlq, destination, undefined);
  await clock.advance(0);
  expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 250 });
  expect(destination.counts().visible).toBe(250);
  expect(dlq.counts().visible).toBe(0);
});

it('waits for a message in flight to become visible, and skips one deleted meanwhile', async () => {
  const { clock, dlq, destination, tasks, latest } = setUp(3);
  const [inFlight, deleted] = dlq.receive(2, 30);
  tasks.start(dlq, destination, undefined);
  dlq.delete(deleted);
  await clock.advance(29_000);
  expect(latest()).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1 });
  await clock.advance(1_000);
  expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2 });
  expect(destination.messageIds()).toHaveLength(2);
  expect(destination.messageIds()).not.toContain(inFlight.id); // moved messages are new messages
});

it('ignores messages that reach the dead-letter queue after the task started', async () => {
  const { clock, dlq, destination, tasks, latest } = setUp(1);
  tasks.start(dlq, destination, 1);
  dlq.enqueue({ body: 'late', attributes: {}, senderId: 'x', delaySeconds: 0 });
  await clock.advance(5_000);
  expect(latest()).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesToMove: 1 });
  expect(dlq.counts().visible).toBe(1);
});

it('stops when cancelled and keeps what it moved', async () => {
  const { clock, dlq, destination, tasks, latest } = setUp(5);
  const handle = tasks.start(dlq, destination, 1);
  await clock.advance(1_500);
  expect(tasks.cancel(handle)).toBe(2);
  expect(latest().Status).toBe('CANCELLING');
  await clock.advance(10_000);
  expect(latest()).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 2 });
  expect(destination.counts().visible).toBe(2);
  expect(() => tasks.cancel(handle)).toThrow(/Only a RUNNING task can be cancelled/);
});

it('fails, leaving the message in place, when the destination queue is deleted', async () => {
  const { clock, queues, dlq, destination, tasks, latest } = setUp(2);
  tasks.start(dlq, destination, 1);
  await clock.advance(0);
  queues.delete(destination.arn);
  await clock.advance(1_000);
  expect(latest()).toMatchObject({ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 1 });
  expect(latest().FailureReason).toMatch(/destination queue no longer exists/);
  expect(dlq.counts().visible).toBe(1);
});

it('fails without a DestinationArn for a message that no redrive policy moved there', async () => {
  const { clock, dlq, tasks, latest } = setUp(1);
  tasks.start(dlq, undefined, undefined);
  await clock.advance(0);
  expect(latest()).toMatchObject({ Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0 });
  expect(latest().FailureReason).toMatch(/give a DestinationArn/);
  expect(dlq.counts().visible).toBe(1);
});

it('keeps the last 10 tasks of a source queue', async () => {
  const { clock, dlq, destination, tasks } = setUp(0);
  for (let i = 0; i < 12; i++) {
    tasks.start(dlq, destination, undefined);
    await clock.advance(0);
  }
  expect(tasks.list(dlq.arn, 100)).toHaveLength(10);
});
