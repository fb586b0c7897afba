// The queue model on fake time: visibility, delays, long polls and retention without waiting for real seconds.
import { Queue } from '../src/sqs/queue';
import type { NewMessage } from '../src/sqs/queue';
import { FakeClock } from '@shop/clock';

/** Fake time starts at a real date: the queue stamps messages with wall-clock times. */
const START = 1_700_000_000_000;

function message(body: string, delaySeconds = 0): NewMessage {
  return { body, attributes: {}, senderId: 'x', delaySeconds };
}

function newQueue(clock: FakeClock, attributes: Record<string, string> = {}): Queue {
  return new Queue('q', 'arn:aws:sqs:us-east-1:000000000000:q', attributes, clock, () => undefined);
}

it('redelivers after the visibility timeout with a higher receive count', async () => {
  const clock = new FakeClock(START);
  const queue = newQueue(clock);
  queue.enqueue(message('a'));
  expect(queue.receive(10, 30).map((m) => m.receiveCount)).toEqual([1]);
  await clock.advance(29_999);
  expect(queue.receive(10, 30)).toEqual([]);
  await clock.advance(1);
  expect(queue.receive(10, 30).map((m) => m.receiveCount)).toEqual([2]);
});

it('wakes a long poll when a delayed message becomes visible, not before', async () => {
  const clock = new FakeClock(START);
  const queue = newQueue(clock);
  queue.enqueue(message('later', 5));
  let answered: string[] | undefined;
  void queue.receiveWaiting(1, 30, 20).then((messages) => (answered = messages.map((m) => m.body)));
  await clock.advance(4_999);
  await Promise.resolve();
  expect(answered).toBeUndefined();
  await clock.advance(1);
  await Promise.resolve();
  expect(answered).toEqual(['later']);
});

it('ends an idle long poll after its wait time with no messages', async () => {
  const clock = new FakeClock(START);
  const queue = newQueue(clock);
  const polling = queue.receiveWaiting(1, 30, 20);
  await clock.advance(20_000);
  await expect(polling).resolves.toEqual([]);
});

it('drops messages past the retention period', async () => {
  const clock = new FakeClock(START);
  const queue = newQueue(clock, { MessageRetentionPeriod: '60' });
  queue.enqueue(message('old'));
  await clock.advance(60_000);
  queue.expireRetained();
  expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
});

describe('ChangeMessageVisibility after the timeout ran out', () => {
  it('hides a standard-queue message again: its receipt handle is valid until the next receive', async () => {
    const clock = new FakeClock(START);
    const queue = newQueue(clock);
    queue.enqueue(message('a'));
    const [received] = queue.receive(1, 30);
    await clock.advance(31_000);
    expect(queue.changeVisibility(received, 60)).toBe('changed');
    expect(queue.receive(1, 30)).toEqual([]);
    await clock.advance(60_000);
    expect(queue.receive(1, 30).map((m) => m.body)).toEqual(['a']);
  });

  it('refuses on a FIFO queue, whose receipt handle expires with the timeout', async () => {
    const clock = new FakeClock(START);
    const queue = new Queue('q.fifo', 'arn:aws:sqs:us-east-1:000000000000:q.fifo', {}, clock, () => undefined);
    queue.enqueue({ ...message('a'), groupId: 'g', deduplicationId: 'd' });
    const [received] = queue.receive(1, 30);
    await clock.advance(31_000);
    expect(queue.changeVisibility(received, 60)).toBe('expired');
  });
});
