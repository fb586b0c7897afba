import { FakeClock } from '@shop/clock';
import { getEventListeners } from 'node:events';
import { TimeoutError, TimeoutPolicy } from '../src';

describe('TimeoutPolicy', () => {
  it('aborts the operation signal and rejects with TimeoutError at the deadline', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy(500, { clock });
    let seen: AbortSignal | undefined;
    const result = policy
      .execute(
        (signal) =>
          new Promise<string>(() => {
            seen = signal;
          }),
      )
      .catch((e: unknown) => e);
    await clock.advance(499);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
  });

  it('shares one sweeper timer while calls run, and clears it the moment the policy is idle', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy(500, { clock });
    const finish: (() => void)[] = [];
    const calls = [1, 2, 3].map(() => policy.execute(() => new Promise<void>((resolve) => finish.push(resolve))));
    expect(clock.pendingTimers()).toHaveLength(1); // one per policy, not one per call
    finish.forEach((resolve) => resolve());
    await Promise.all(calls);
    expect(clock.pendingTimers()).toEqual([]); // nothing lingers until the old deadline

    await policy.execute(async () => 'ok');
    await policy.execute(async () => Promise.reject(new Error('no'))).catch(() => undefined);
    await policy
      .execute(() => {
        throw new Error('sync');
      })
      .catch(() => undefined);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('gives calls starting within the same slice one shared deadline and one signal', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy(500, { clock, precisionMs: 10 });
    const signals: AbortSignal[] = [];
    const hang = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<never>(() => undefined);
    };
    await clock.advance(1);
    const first = policy.execute(hang).catch((e: unknown) => e);
    await clock.advance(8);
    const second = policy.execute(hang).catch((e: unknown) => e);
    await clock.advance(500); // started at 1 and 9 ms, both deadlines round up to 510: never less than 500 ms
    expect(signals[0]?.aborted).toBe(false);
    await clock.advance(1);
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(await second).toBeInstanceOf(TimeoutError);
    expect(signals[0]).toBe(signals[1]);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('does not let the sweeper keep an idle process alive', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const policy = new TimeoutPolicy(60_000);
    await policy.execute(async () => 'ok');
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toHaveLength(timersBefore);
  });

  it('passes a caller abort on to the operation and removes its listener afterwards', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy(500, { clock });
    const controller = new AbortController();
    let inner: AbortSignal | undefined;
    const result = policy
      .execute((signal) => {
        inner = signal;
        return new Promise<string>(() => undefined);
      }, controller.signal)
      .catch((e: unknown) => e);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('cancelled'));
    expect(await result).toEqual(new Error('cancelled'));
    expect(inner?.aborted).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once when the caller signal is already aborted', async () => {
    const policy = new TimeoutPolicy(500, { clock: new FakeClock() });
    const operation = jest.fn(async () => 'ok');
    await expect(policy.execute(operation, AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(operation).not.toHaveBeenCalled();
  });
});
