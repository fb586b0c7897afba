import { FakeClock, systemClock } from '@shop/clock';
import { getEventListeners, setMaxListeners } from 'node:events';
import {
  BrokenCircuitError,
  Bulkhead,
  CircuitBreaker,
  CircuitState,
  RetryPolicy,
  TimeoutError,
  TimeoutPolicy,
  constantBackoff,
  fallback,
  pipeline,
} from '../src';

describe('pipeline', () => {
  it('runs the first policy outermost: pipeline(a, b)(fn) = a(b(fn))', async () => {
    const order: string[] = [];
    const tracer = (name: string) => ({
      async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
        order.push(`${name} in`);
        const result = await fn(signal ?? new AbortController().signal);
        order.push(`${name} out`);
        return result;
      },
    });
    await pipeline(tracer('a'), tracer('b')).execute(async () => order.push('fn'));
    expect(order).toEqual(['a in', 'b in', 'fn', 'b out', 'a out']);
  });

  it('retry outside the breaker records each attempt once and stops retrying when the circuit opens', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ minimumCalls: 3, failureRateThreshold: 1, clock });
    const recorded: string[] = [];
    breaker.onOutcome((o) => recorded.push(o.kind));
    const policy = pipeline(
      new RetryPolicy({ maxAttempts: 10, backoff: constantBackoff(10), clock }),
      breaker,
      new TimeoutPolicy(100, { clock }),
    );
    const operation = jest.fn(() => new Promise<string>(() => undefined)); // always times out
    const result = policy.execute(operation).catch((e: unknown) => e);
    await clock.advance(1_000);
    expect(await result).toBeInstanceOf(BrokenCircuitError);
    expect(operation).toHaveBeenCalledTimes(3);
    expect(recorded).toEqual(['failure', 'failure', 'failure', 'rejected']);
    expect(breaker.state).toBe(CircuitState.Open);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('an outer timeout caps the whole call, retries and waits included', async () => {
    const clock = new FakeClock();
    const policy = pipeline(
      new TimeoutPolicy(250, { clock }),
      new RetryPolicy({ maxAttempts: 100, backoff: constantBackoff(100), clock }),
    );
    const operation = jest.fn(async () => {
      throw new Error('flaky');
    });
    const result = policy.execute(operation).catch((e: unknown) => e);
    await clock.advance(1_000);
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(operation).toHaveBeenCalledTimes(3); // at 0, 100, 200 ms
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('types the result as T | fallback value', async () => {
    const policy = pipeline(
      fallback(() => 'cached' as const),
      new CircuitBreaker({ clock: new FakeClock() }),
    );
    const value: number | 'cached' = await policy.execute(async () => {
      throw new Error('down');
    });
    expect(value).toBe('cached');
    // @ts-expect-error the fallback's value is part of the result type, so it is not just a number
    const onlyNumber: number = await policy.execute(async () => 1);
    expect(onlyNumber).toBe(1);
    const plain: number = await pipeline(new Bulkhead({ maxConcurrent: 1 })).execute(async () => 42);
    expect(plain).toBe(42);
  });

  it('fallback never replaces a caller abort', async () => {
    const policy = fallback(() => 'cached');
    const signal = AbortSignal.abort(new Error('cancelled'));
    await expect(policy.execute(() => Promise.reject(signal.reason), signal)).rejects.toThrow('cancelled');
  });

  it('passes the call context down so retry knows about idempotency', async () => {
    const clock = new FakeClock();
    const policy = pipeline(
      new RetryPolicy({ backoff: constantBackoff(1), clock }),
      new Bulkhead({ maxConcurrent: 1 }),
    );
    const operation = jest.fn(async () => {
      throw new Error('flaky');
    });
    await expect(policy.execute(operation, undefined, { idempotent: false })).rejects.toThrow('flaky');
    expect(operation).toHaveBeenCalledTimes(1);
  });
});

describe('no leaks', () => {
  it('leaves no timers or listeners after 10,000 calls (fake clock)', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({ clock });
    const bulkhead = new Bulkhead({ maxConcurrent: 50, maxQueue: 10_000 });
    const policy = pipeline(
      new TimeoutPolicy(1_000, { clock }),
      new RetryPolicy({ backoff: constantBackoff(5), clock }),
      breaker,
      bulkhead,
    );
    const controller = new AbortController();
    setMaxListeners(0, controller.signal); // 10,000 calls in flight share this signal on purpose
    const results = Array.from({ length: 10_000 }, (_, i) => {
      let attempts = 0;
      return policy.execute(async () => {
        // Every third call fails once and is retried after a timer.
        if (i % 3 === 0 && attempts++ === 0) throw new Error('transient');
        return i;
      }, controller.signal);
    });
    await clock.advance(100);
    await Promise.all(results);
    await clock.advance(1_000); // the timeout's shared sweeper stops once its last deadline has passed
    expect(clock.pendingTimers()).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(bulkhead.active + bulkhead.queued).toBe(0);
  });

  it('leaves no Node timers or listeners after 10,000 calls (system clock)', async () => {
    const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const policy = pipeline(
      new TimeoutPolicy(60_000, { clock: systemClock }),
      new RetryPolicy({ clock: systemClock }),
      new CircuitBreaker({ clock: systemClock }),
    );
    const controller = new AbortController();
    for (let i = 0; i < 10_000; i++) await policy.execute(async () => i, controller.signal);
    const timersAfter = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(timersAfter).toBe(timersBefore);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
