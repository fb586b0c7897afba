import { runClosedLoop } from '../src/closed-loop';

/** A clock that only moves when an operation "takes" time: the driver's arithmetic without real waiting. */
function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('runClosedLoop', () => {
  it('runs each customer one operation at a time and counts only the measured window', async () => {
    const clock = fakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    const result = await runClosedLoop({
      concurrency: 2,
      warmupMs: 100,
      durationMs: 1_000,
      now: clock.now,
      operationFor: () => async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await Promise.resolve();
        clock.advance(50); // both customers share one clock: each operation moves it 50 ms
        inFlight -= 1;
        return 50;
      },
    });
    expect(maxInFlight).toBeLessThanOrEqual(2);
    // 1,000 ms window / 50 ms per operation (shared clock) = 20 completions, give or take the edges.
    expect(result.completed).toBeGreaterThanOrEqual(19);
    expect(result.completed).toBeLessThanOrEqual(21);
    expect(result.throughput).toBeCloseTo(result.completed, 5);
    // The warm-up's two operations (100 ms at 50 ms each) and any overrun count in allCompleted only.
    expect(result.allCompleted).toBeGreaterThanOrEqual(result.completed + 2);
    expect(result.allCompleted).toBeLessThanOrEqual(result.completed + 4);
    expect(result.latency.p50).toBe(50);
    expect(result.failed).toBe(0);
  });

  it('counts failures and keeps their messages, without stopping the customer', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await runClosedLoop({
      concurrency: 1,
      warmupMs: 0,
      durationMs: 100,
      now: clock.now,
      operationFor: () => async () => {
        clock.advance(10);
        calls += 1;
        if (calls % 2 === 0) throw new Error('order CANCELLED');
        return 10;
      },
    });
    expect(result.failed).toBe(5);
    expect(result.completed).toBe(5);
    expect(result.allCompleted).toBe(5);
    expect(result.errors).toEqual(['order CANCELLED']);
  });
});
