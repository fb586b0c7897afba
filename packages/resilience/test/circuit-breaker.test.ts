import { FakeClock } from '@shop/clock';
import {
  BrokenCircuitError,
  CircuitBreaker,
  CircuitState,
  IsolatedCircuitError,
  TimeoutError,
  type CircuitBreakerOptions,
  type StateChange,
} from '../src';

const ok = async (): Promise<string> => 'ok';
const boom = async (): Promise<never> => {
  throw new Error('boom');
};

function setup(options: CircuitBreakerOptions = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({ name: 'inventory', minimumCalls: 2, openDurationMs: 1_000, clock, ...options });
  const changes: Array<[string, string]> = [];
  breaker.onStateChange((change: StateChange) => changes.push([change.from, change.to]));
  return { clock, breaker, changes };
}

async function failTimes(breaker: CircuitBreaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.execute(boom).catch(() => undefined);
}

/** A call the test finishes by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CircuitBreaker state transitions', () => {
  it('closed → open when the failure rate reaches the threshold', async () => {
    const { breaker, changes } = setup();
    await failTimes(breaker, 2);
    expect(breaker.state).toBe(CircuitState.Open);
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('open rejects fast with BrokenCircuitError saying when to come back', async () => {
    const { breaker, clock } = setup();
    await failTimes(breaker, 2);
    await clock.advance(400);
    const calls = jest.fn(ok);
    const error = await breaker.execute(calls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    expect((error as BrokenCircuitError).retryAfterMs).toBe(600);
    expect((error as BrokenCircuitError).breakerName).toBe('inventory');
    expect(calls).not.toHaveBeenCalled();
  });

  it('open → half-open once the open duration has passed, then half-open → closed on a successful trial', async () => {
    const { breaker, clock, changes } = setup();
    await failTimes(breaker, 2);
    await clock.advance(1_000);
    expect(breaker.state).toBe(CircuitState.HalfOpen);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe(CircuitState.Closed);
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('half-open → open when a trial fails, with the open duration backing off on repeated trips', async () => {
    const { breaker, clock } = setup({ openBackoff: { multiplier: 2, maxMs: 3_000 } });
    await failTimes(breaker, 2);
    await clock.advance(1_000);
    await failTimes(breaker, 1); // failed trial: second trip in a row
    expect(breaker.state).toBe(CircuitState.Open);
    expect(breaker.metrics().retryAfterMs).toBe(2_000);
    await clock.advance(2_000);
    await failTimes(breaker, 1); // third trip: 4 s, capped at 3 s
    expect(breaker.metrics().retryAfterMs).toBe(3_000);
    await clock.advance(3_000);
    await breaker.execute(ok);
    expect(breaker.state).toBe(CircuitState.Closed);
    await failTimes(breaker, 2); // closing reset the backoff
    expect(breaker.metrics().retryAfterMs).toBe(1_000);
  });

  it('isolate() forces the circuit open until reset()', async () => {
    const { breaker, clock, changes } = setup();
    breaker.isolate();
    await clock.advance(60_000);
    expect(breaker.state).toBe(CircuitState.Isolated);
    const error = await breaker.execute(ok).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IsolatedCircuitError);
    expect(error).toBeInstanceOf(BrokenCircuitError);
    breaker.reset();
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(changes).toEqual([
      ['closed', 'isolated'],
      ['isolated', 'closed'],
    ]);
  });

  it('reset() closes an open circuit and forgets the window', async () => {
    const { breaker } = setup({ minimumCalls: 3 });
    await failTimes(breaker, 3);
    breaker.reset();
    expect(breaker.metrics()).toMatchObject({ state: 'closed', calls: 0, failures: 0 });
    await failTimes(breaker, 2);
    expect(breaker.state).toBe(CircuitState.Closed);
  });
});

describe('CircuitBreaker trip rules', () => {
  it('does not trip before minimumCalls: 1 failure of 1 call stays closed', async () => {
    const { breaker } = setup({ minimumCalls: 5, failureRateThreshold: 0.5 });
    await failTimes(breaker, 1);
    expect(breaker.state).toBe(CircuitState.Closed);
    expect(breaker.metrics().failureRate).toBe(1);
  });

  it('trips on the failure rate over a count window, not on failures long gone', async () => {
    const { breaker } = setup({ window: { kind: 'count', size: 4 }, minimumCalls: 4, failureRateThreshold: 0.5 });
    await failTimes(breaker, 1);
    for (let i = 0; i < 4; i++) await breaker.execute(ok); // the failure slides out
    await failTimes(breaker, 1);
    expect(breaker.metrics()).toMatchObject({ calls: 4, failures: 1, state: 'closed' });
    await failTimes(breaker, 1);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('forgets outcomes once they leave a time window', async () => {
    const { breaker, clock } = setup({
      window: { kind: 'time', durationMs: 10_000, buckets: 10 },
      minimumCalls: 3,
      failureRateThreshold: 0.5,
    });
    await failTimes(breaker, 2);
    expect(breaker.metrics().calls).toBe(2);
    await clock.advance(10_000);
    expect(breaker.metrics()).toMatchObject({ calls: 0, failures: 0 });
    await failTimes(breaker, 1); // would have been 3 failures of 3 without expiry
    expect(breaker.state).toBe(CircuitState.Closed);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('optionally trips on consecutive failures before minimumCalls', async () => {
    const { breaker } = setup({ minimumCalls: 100, consecutiveFailures: 3 });
    await failTimes(breaker, 2);
    await breaker.execute(ok);
    await failTimes(breaker, 2);
    expect(breaker.state).toBe(CircuitState.Closed);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('trips on the slow-call rate', async () => {
    const { breaker, clock } = setup({ minimumCalls: 2, slowCall: { durationMs: 500, rateThreshold: 1 } });
    const slow = (): Promise<string> => new Promise((resolve) => clock.setTimeout(() => resolve('late'), 600));
    for (let i = 0; i < 2; i++) {
      const call = breaker.execute(slow);
      await clock.advance(600);
      await expect(call).resolves.toBe('late');
    }
    expect(breaker.metrics().slowCalls).toBe(2);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('counts only what the isFailure predicate calls a failure (e.g. not 4xx)', async () => {
    const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });
    const { breaker } = setup({ isFailure: (e) => (e as { status: number }).status >= 500 });
    for (let i = 0; i < 5; i++) {
      await breaker.execute(() => Promise.reject(httpError(404))).catch(() => undefined);
    }
    expect(breaker.state).toBe(CircuitState.Closed);
    for (let i = 0; i < 5; i++) {
      await breaker.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    }
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('counts results the isResultFailure predicate rejects', async () => {
    const { breaker } = setup({ isResultFailure: (r) => (r as { status: number }).status >= 500 });
    await breaker.execute(async () => ({ status: 503 }));
    await breaker.execute(async () => ({ status: 503 }));
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('ignores calls the caller aborted, but counts timeouts', async () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i++) {
      const controller = new AbortController();
      controller.abort(new Error('caller gave up'));
      await breaker.execute(() => Promise.reject(controller.signal.reason), controller.signal).catch(() => undefined);
    }
    expect(breaker.metrics().calls).toBe(0);
    for (let i = 0; i < 2; i++) {
      const controller = new AbortController();
      controller.abort(new TimeoutError(100));
      await breaker.execute(() => Promise.reject(controller.signal.reason), controller.signal).catch(() => undefined);
    }
    expect(breaker.state).toBe(CircuitState.Open);
  });
});

describe('CircuitBreaker half-open permits', () => {
  async function halfOpen(permits: number) {
    const context = setup({ halfOpenPermits: permits });
    await failTimes(context.breaker, 2);
    await context.clock.advance(1_000);
    return context;
  }

  it('admits exactly halfOpenPermits of 50 concurrent callers and rejects the rest fast', async () => {
    const { breaker } = await halfOpen(3);
    const gate = deferred<string>();
    const started = jest.fn();
    const calls = Array.from({ length: 50 }, () =>
      breaker
        .execute(() => {
          started();
          return gate.promise;
        })
        .then(
          () => 'admitted',
          (e: unknown) => (e instanceof BrokenCircuitError ? 'rejected' : 'other'),
        ),
    );
    gate.resolve('ok');
    const results = await Promise.all(calls);
    expect(started).toHaveBeenCalledTimes(3);
    expect(results.filter((r) => r === 'admitted')).toHaveLength(3);
    expect(results.filter((r) => r === 'rejected')).toHaveLength(47);
    expect(breaker.state).toBe(CircuitState.Closed);
  });

  it('needs every trial to succeed: one failed trial reopens', async () => {
    const { breaker } = await halfOpen(2);
    await breaker.execute(ok);
    expect(breaker.state).toBe(CircuitState.HalfOpen);
    await failTimes(breaker, 1);
    expect(breaker.state).toBe(CircuitState.Open);
  });

  it('frees the permit of an aborted trial at once, even if the operation ignores the signal', async () => {
    const { breaker } = await halfOpen(1);
    const controller = new AbortController();
    const hanging = breaker.execute(() => new Promise<string>(() => undefined), controller.signal);
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(BrokenCircuitError);
    controller.abort(new Error('client went away'));
    await expect(hanging).rejects.toThrow('client went away');
    expect(breaker.state).toBe(CircuitState.HalfOpen);
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(breaker.state).toBe(CircuitState.Closed);
  });

  it('frees the permit when the operation throws synchronously or the predicate itself throws', async () => {
    const { breaker } = await halfOpen(1);
    const throwsSync = (() => {
      throw 'not even an Error';
    }) as unknown as () => Promise<string>;
    await expect(breaker.execute(throwsSync)).rejects.toBe('not even an Error');
    expect(breaker.state).toBe(CircuitState.Open); // counted as a failed trial, permit returned
    const broken = new CircuitBreaker({
      minimumCalls: 1,
      clock: new FakeClock(),
      isFailure: () => {
        throw new Error('predicate bug');
      },
    });
    await expect(broken.execute(boom)).rejects.toThrow('boom');
    expect(broken.state).toBe(CircuitState.Open);
  });

  it('does not let a call that started while closed vote in half-open', async () => {
    const { breaker, clock } = setup();
    const slowSuccess = deferred<string>();
    const straggler = breaker.execute(() => slowSuccess.promise);
    await failTimes(breaker, 2);
    await clock.advance(1_000);
    expect(breaker.state).toBe(CircuitState.HalfOpen);
    slowSuccess.resolve('late');
    await straggler;
    expect(breaker.state).toBe(CircuitState.HalfOpen);
  });
});

describe('CircuitBreaker events', () => {
  it('reports outcomes and removes listeners on unsubscribe', async () => {
    const { breaker } = setup({ minimumCalls: 3 });
    const outcomes: string[] = [];
    const unsubscribe = breaker.onOutcome((o) => outcomes.push(o.kind));
    await breaker.execute(ok);
    await failTimes(breaker, 2);
    await breaker.execute(ok).catch(() => undefined);
    expect(outcomes).toEqual(['success', 'failure', 'failure', 'rejected']);
    unsubscribe();
    expect(breaker.listenerCount).toBe(1); // the state listener from setup()
  });
});
