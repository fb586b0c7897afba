// PollingLoop on a fake clock: when passes run, how wake() and failures change that, and that stop() is clean.
import { FakeClock } from '@shop/clock';
import { constantBackoff, PollingLoop, type PassResult, type PollingLoopOptions } from '../src';

const POLL_MS = 1_000;

function setup(results: PassResult[] = [], options: Partial<PollingLoopOptions> = {}) {
  const clock = new FakeClock();
  const passesAt: number[] = [];
  const errors: unknown[] = [];
  let release: (() => void) | undefined;
  let holdNext = false;
  const loop = new PollingLoop({
    clock,
    pollIntervalMs: POLL_MS,
    runPass: async () => {
      passesAt.push(clock.now());
      if (holdNext) {
        holdNext = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      const result = results.shift() ?? 'idle';
      if (result === 'failed') throw new Error('database down');
      return result;
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  /** The next pass waits until `release()`: lets a test act while a pass is in progress. */
  const hold = () => (holdNext = true);
  const settle = () => clock.advance(0);
  return { clock, loop, passesAt, errors, hold, release: () => release?.(), settle };
}

describe('PollingLoop', () => {
  it('runs a pass at start, then one per poll interval', async () => {
    const { clock, loop, passesAt } = setup();
    loop.start();
    await clock.advance(0);
    expect(passesAt).toEqual([0]);
    await clock.advance(POLL_MS * 2);
    expect(passesAt).toEqual([0, POLL_MS, POLL_MS * 2]);
    await loop.stop();
  });

  it('runs passes back to back while they find more', async () => {
    const { clock, loop, passesAt } = setup(['more', 'more', 'idle']);
    loop.start();
    await clock.advance(0);
    expect(passesAt).toEqual([0, 0, 0]);
    await loop.stop();
  });

  it('runs a pass at once on wake(), and once more when woken during a pass', async () => {
    const { clock, loop, passesAt, hold, release, settle } = setup();
    loop.start();
    await settle();
    await clock.advance(300);
    loop.wake();
    await settle();
    expect(passesAt).toEqual([0, 300]);
    hold();
    loop.wake();
    await settle();
    loop.wake(); // during the held pass
    loop.wake(); // several wakes ask for one more pass, not several
    release();
    await settle();
    expect(passesAt).toEqual([0, 300, 300, 300]);
    await clock.advance(POLL_MS); // and the poll timer was re-armed after the last pass
    expect(passesAt).toEqual([0, 300, 300, 300, 300 + POLL_MS]);
    await loop.stop();
  });

  it('without a backoff, reports a failed pass and tries again at the next poll or wake', async () => {
    const { clock, loop, passesAt, errors, settle } = setup(['failed', 'failed']);
    loop.start();
    await settle();
    expect(errors).toHaveLength(1);
    loop.wake();
    await settle();
    expect(passesAt).toEqual([0, 0]);
    await clock.advance(POLL_MS);
    expect(passesAt).toEqual([0, 0, POLL_MS]);
    await loop.stop();
  });

  it('with a backoff, waits longer after each failure, ignores wake() meanwhile and resets on success', async () => {
    const { clock, loop, passesAt, settle } = setup(['failed', 'failed', 'idle'], {
      backoff: (attempt) => attempt * 5_000,
    });
    loop.start();
    await settle();
    loop.wake(); // backing off: the timer decides
    await clock.advance(4_999);
    expect(passesAt).toEqual([0]);
    await clock.advance(1);
    expect(passesAt).toEqual([0, 5_000]);
    await clock.advance(10_000); // second failure: 2 × 5 s
    expect(passesAt).toEqual([0, 5_000, 15_000]);
    loop.wake(); // succeeded: wakes work again
    await settle();
    expect(passesAt).toEqual([0, 5_000, 15_000, 15_000]);
    await loop.stop();
  });

  it('waits at least the retry-after it is given after a failure (an open circuit)', async () => {
    const { clock, loop, passesAt, settle } = setup(['failed'], {
      backoff: constantBackoff(100),
      minRetryDelayMs: () => 7_000,
    });
    loop.start();
    await settle();
    expect(clock.pendingTimers().map((timer) => timer.delayMs)).toEqual([7_000]);
    await clock.advance(7_000);
    expect(passesAt).toEqual([0, 7_000]);
    await loop.stop();
  });

  it('stop() waits for the pass in progress, starts no more and leaves no timer', async () => {
    const { clock, loop, passesAt, hold, release, settle } = setup(['more', 'more']);
    hold();
    loop.start();
    await settle();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(passesAt).toEqual([0]); // the pass said "more", but the loop was stopping
    expect(clock.pendingTimers()).toEqual([]);
    loop.wake();
    await clock.advance(POLL_MS * 5);
    expect(passesAt).toEqual([0]);
    expect(loop.isRunning).toBe(false);
  });
});
