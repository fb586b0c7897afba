/** Waiting readers (Prefer: wait) on the fake clock: woken by a change, re-reading at RECHECK_MS, ended by close. */
import { FakeClock } from '@shop/clock';
import { OrderChanges, RECHECK_MS } from '../src/read-model/order-changes';

describe('OrderChanges.readUntil', () => {
  let clock: FakeClock;
  let changes: OrderChanges;
  let status: string;
  let reads: number;
  const read = async () => {
    reads++;
    return status;
  };
  const waitForSettled = (waitMs: number, signal?: AbortSignal) =>
    changes.readUntil('o-1', {
      first: status,
      read,
      settled: (latest) => latest !== 'PENDING',
      waitMs,
      ...(signal ? { signal } : {}),
    });

  beforeEach(() => {
    clock = new FakeClock(0);
    changes = new OrderChanges(clock);
    status = 'PENDING';
    reads = 0;
  });

  it('answers as soon as a change is signalled, with no time passing', async () => {
    const answer = waitForSettled(10_000);
    status = 'CONFIRMED';
    changes.notify('o-2'); // another order: nothing happens
    expect(changes.waiting).toBe(1);
    changes.notify('o-1');
    await expect(answer).resolves.toBe('CONFIRMED');
    expect(clock.now()).toBe(0);
    expect(changes.waiting).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('re-reads every RECHECK_MS without a signal (a change made by another replica) and gives up at the wait', async () => {
    const answer = waitForSettled(2.5 * RECHECK_MS);
    await clock.advance(RECHECK_MS);
    expect(reads).toBe(1);
    await clock.advance(RECHECK_MS);
    expect(reads).toBe(2);
    await clock.advance(RECHECK_MS / 2);
    await expect(answer).resolves.toBe('PENDING');
    expect(reads).toBe(3);
  });

  it('picks up a change at the next re-read when no signal comes', async () => {
    const answer = waitForSettled(10_000);
    status = 'CANCELLED';
    await clock.advance(RECHECK_MS);
    await expect(answer).resolves.toBe('CANCELLED');
  });

  it('answers at once when nothing is pending', async () => {
    status = 'CONFIRMED';
    await expect(waitForSettled(10_000)).resolves.toBe('CONFIRMED');
    expect(reads).toBe(0);
  });

  it('ends every wait on close() and when the client goes away, without reading again', async () => {
    const gone = new AbortController();
    const first = waitForSettled(10_000, gone.signal);
    const second = waitForSettled(10_000);
    gone.abort();
    await expect(first).resolves.toBe('PENDING');
    changes.close();
    await expect(second).resolves.toBe('PENDING');
    await expect(waitForSettled(10_000)).resolves.toBe('PENDING'); // closed: no new wait either
    expect(reads).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });
});
