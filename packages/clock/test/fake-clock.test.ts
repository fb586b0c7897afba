// FakeClock as a specification: time moves only when the test says, timers fire in order, pending work runs between.
import { FakeClock } from '../src';

describe('FakeClock', () => {
  it('reads the same fake time as wall and monotonic time, from where it was started', () => {
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    expect(clock.now()).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(clock.monotonic()).toBe(clock.now());
  });

  it('fires due timers in order, at their due time, and no others', async () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 30);
    await clock.advance(25);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    expect(clock.pendingTimers()).toEqual([{ id: 3, dueAt: 30, delayMs: 30 }]);
  });

  it('runs a timer scheduled by awaiting code within the same advance', async () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(async () => {
      await Promise.resolve();
      clock.setTimeout(() => fired.push(clock.now()), 10);
    }, 10);
    await clock.advance(20);
    expect(fired).toEqual([20]);
  });

  it('never fires a cleared timer', async () => {
    const clock = new FakeClock();
    const handle = clock.setTimeout(() => {
      throw new Error('should not fire');
    }, 10);
    clock.clearTimeout(handle);
    await clock.advance(100);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('waitForTimer resolves once a matching timer is scheduled', async () => {
    const clock = new FakeClock();
    const waiting = clock.waitForTimer((timer) => timer.delayMs === 500);
    clock.setTimeout(() => undefined, 100);
    clock.setTimeout(() => undefined, 500);
    await expect(waiting).resolves.toMatchObject({ delayMs: 500, dueAt: 500 });
  });
});
