import { getEventListeners } from 'node:events';
import { FakeClock, TimeoutError, TimeoutPolicy } from '../src';

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

  it('clears its timer when the operation succeeds or fails', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy(500, { clock });
    await policy.execute(async () => 'ok');
    await policy.execute(async () => Promise.reject(new Error('no'))).catch(() => undefined);
    await policy
      .execute(() => {
        throw new Error('sync');
      })
      .catch(() => undefined);
    expect(clock.pendingTimers()).toEqual([]);
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
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('rejects at once when the caller signal is already aborted', async () => {
    const policy = new TimeoutPolicy(500, { clock: new FakeClock() });
    const operation = jest.fn(async () => 'ok');
    await expect(policy.execute(operation, AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    expect(operation).not.toHaveBeenCalled();
  });
});
