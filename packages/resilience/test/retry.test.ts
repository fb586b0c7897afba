import { FakeClock } from '@shop/clock';
import {
  BrokenCircuitError,
  RetryPolicy,
  constantBackoff,
  type GiveUpEvent,
  type RetryEvent,
  type RetryOptions,
} from '../src';

const transient = () => new Error('ECONNRESET');

function setup(options: RetryOptions = {}) {
  const clock = new FakeClock();
  const policy = new RetryPolicy({ maxAttempts: 3, backoff: constantBackoff(100), clock, ...options });
  const retries: RetryEvent[] = [];
  const giveUps: GiveUpEvent[] = [];
  policy.onRetry((e) => retries.push(e));
  policy.onGiveUp((e) => giveUps.push(e));
  return { clock, policy, retries, giveUps };
}

/** An operation that fails with the given errors in turn, then succeeds. */
function failing(...errors: unknown[]) {
  return jest.fn(async (_signal: AbortSignal) => {
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'ok';
  });
}

describe('RetryPolicy', () => {
  it('maxAttempts counts the first call: 3 means one call and two retries', async () => {
    const { policy, clock, giveUps } = setup();
    const operation = failing(transient(), transient(), transient(), transient());
    const result = policy.execute(operation).catch((e: unknown) => e);
    await clock.advance(1_000);
    expect(await result).toEqual(transient());
    expect(operation).toHaveBeenCalledTimes(3);
    expect(giveUps).toEqual([expect.objectContaining({ attempts: 3, reason: 'attempts-exhausted' })]);
  });

  it('succeeds after transient failures, waiting the backoff between attempts', async () => {
    const { policy, clock, retries } = setup();
    const operation = failing(transient(), transient());
    const result = policy.execute(operation);
    await clock.advance(99);
    expect(operation).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    expect(operation).toHaveBeenCalledTimes(2);
    await clock.advance(100);
    await expect(result).resolves.toBe('ok');
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 100],
      [2, 100],
    ]);
  });

  it('never retries errors the predicate rejects (e.g. a 4xx)', async () => {
    const clientError = Object.assign(new Error('HTTP 400'), { status: 400 });
    const { policy, giveUps } = setup({ shouldRetryError: (e) => (e as { status?: number }).status !== 400 });
    const operation = failing(clientError);
    await expect(policy.execute(operation)).rejects.toBe(clientError);
    expect(operation).toHaveBeenCalledTimes(1);
    expect(giveUps[0]?.reason).toBe('not-retryable');
  });

  it('does not retry an open circuit by default', async () => {
    const { policy } = setup();
    const operation = failing(new BrokenCircuitError('payment', 5_000));
    await expect(policy.execute(operation)).rejects.toBeInstanceOf(BrokenCircuitError);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('retries results the result predicate rejects, and returns the last one when attempts run out', async () => {
    const { policy, clock } = setup({ shouldRetryResult: (r) => (r as { status: number }).status === 503 });
    const operation = jest.fn(async () => ({ status: 503 }));
    const result = policy.execute(operation);
    await clock.advance(200);
    await expect(result).resolves.toEqual({ status: 503 });
    expect(operation).toHaveBeenCalledTimes(3);
  });

  it('honours a server-provided delay (retryAfterMs) instead of the backoff', async () => {
    const { policy, clock, retries } = setup();
    const operation = failing(Object.assign(new Error('503'), { retryAfterMs: 2_000 }));
    const result = policy.execute(operation);
    await clock.advance(1_999);
    expect(operation).toHaveBeenCalledTimes(1);
    await clock.advance(1);
    await expect(result).resolves.toBe('ok');
    expect(retries[0]).toMatchObject({ delayMs: 2_000, serverDelay: true });
  });

  it('does not wait for a server delay longer than maxServerDelayMs', async () => {
    const { policy, giveUps } = setup({ maxServerDelayMs: 10_000 });
    const operation = failing(Object.assign(new Error('429'), { retryAfterMs: 3_600_000 }));
    await expect(policy.execute(operation)).rejects.toThrow('429');
    expect(giveUps[0]?.reason).toBe('budget-exhausted');
  });

  it('stops at once when the caller aborts during the backoff, clearing the timer', async () => {
    const { policy, clock } = setup({ backoff: constantBackoff(10_000) });
    const controller = new AbortController();
    const operation = failing(transient(), transient());
    const result = policy.execute(operation, controller.signal).catch((e: unknown) => e);
    await clock.waitForTimer();
    controller.abort(new Error('user cancelled'));
    expect(await result).toEqual(new Error('user cancelled'));
    expect(clock.pendingTimers()).toEqual([]);
    await clock.advance(60_000);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('does not retry an attempt that failed because the caller aborted', async () => {
    const { policy, giveUps } = setup();
    const controller = new AbortController();
    const operation = jest.fn(async () => {
      controller.abort(new Error('gone'));
      throw controller.signal.reason;
    });
    await expect(policy.execute(operation, controller.signal)).rejects.toThrow('gone');
    expect(operation).toHaveBeenCalledTimes(1);
    expect(giveUps[0]?.reason).toBe('aborted');
  });

  it('caps total time with the elapsed budget', async () => {
    const { policy, clock, giveUps } = setup({ maxAttempts: 100, backoff: constantBackoff(300), maxElapsedMs: 1_000 });
    const operation = jest.fn(async () => {
      throw transient();
    });
    const result = policy.execute(operation).catch((e: unknown) => e);
    await clock.advance(10_000);
    await result;
    // Waits start at 0, 300, 600 ms; a fourth wait would end at 1 200 ms > 1 000 ms, so it gives up at 900 ms.
    expect(operation).toHaveBeenCalledTimes(4);
    expect(giveUps[0]).toMatchObject({ attempts: 4, reason: 'budget-exhausted' });
  });

  it('never repeats a call marked non-idempotent, nor any call when the policy defaults to non-idempotent', async () => {
    const { policy, giveUps } = setup();
    const post = failing(transient());
    await expect(policy.execute(post, undefined, { idempotent: false })).rejects.toThrow('ECONNRESET');
    expect(post).toHaveBeenCalledTimes(1);
    expect(giveUps[0]?.reason).toBe('not-idempotent');

    const cautious = setup({ idempotent: false });
    const unmarked = failing(transient());
    await expect(cautious.policy.execute(unmarked)).rejects.toThrow('ECONNRESET');
    const markedSafe = failing(transient());
    const result = cautious.policy.execute(markedSafe, undefined, { idempotent: true });
    await cautious.clock.advance(100);
    await expect(result).resolves.toBe('ok');
  });

  it('hands the caller signal to every attempt', async () => {
    const { policy, clock } = setup();
    const controller = new AbortController();
    const operation = failing(transient());
    const result = policy.execute(operation, controller.signal);
    await clock.advance(100);
    await result;
    expect(operation.mock.calls.map(([signal]) => signal)).toEqual([controller.signal, controller.signal]);
  });
});
