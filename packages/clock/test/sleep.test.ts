// sleep as a specification: waits on the clock given, stops at once on abort, and leaves no timer behind.
import { FakeClock, sleep } from '../src';

describe('sleep', () => {
  it('resolves when the clock reaches the delay', async () => {
    const clock = new FakeClock();
    let done = false;
    const slept = sleep(clock, 1_000).then(() => (done = true));
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await slept;
    expect(done).toBe(true);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const slept = sleep(clock, 1_000, controller.signal);
    controller.abort(new Error('stopping'));
    await expect(slept).rejects.toThrow('stopping');
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('rejects at once on a signal that is already aborted', async () => {
    const clock = new FakeClock();
    await expect(sleep(clock, 1_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(clock.pendingTimers()).toEqual([]);
  });
});
