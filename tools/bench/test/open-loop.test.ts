import { FakeClock, sleep, type Clock } from '@shop/clock';
import { arrivalSchedule, runOpenLoop } from '../src/open-loop';

/** A FakeClock whose reading can also jump without firing timers: the driver's event loop blocked for a while. */
function stallableClock() {
  const fake = new FakeClock();
  let stalledMs = 0;
  const clock: Clock = {
    now: () => fake.now() + stalledMs,
    monotonic: () => fake.monotonic() + stalledMs,
    setTimeout: (callback, delayMs) => fake.setTimeout(callback, delayMs),
    clearTimeout: (handle) => fake.clearTimeout(handle),
  };
  return { clock, fake, stall: (ms: number) => (stalledMs += ms) };
}

describe('arrivalSchedule', () => {
  it('spaces arrivals 1000/rate ms apart, every one before the end', () => {
    expect(arrivalSchedule(4, 1_000)).toEqual([0, 250, 500, 750]);
    expect(arrivalSchedule(2.5, 1_000)).toEqual([0, 400, 800]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => arrivalSchedule(0, 1_000)).toThrow(/positive rate/);
    expect(() => arrivalSchedule(Number.NaN, 1_000)).toThrow(/positive rate/);
  });
});

describe('runOpenLoop', () => {
  it('starts arrivals on schedule however long each one takes', async () => {
    const clock = new FakeClock();
    const startedAt: number[] = [];
    const run = runOpenLoop({
      ratePerSecond: 10,
      durationMs: 1_000,
      maxInFlight: 100,
      clock,
      operation: async () => {
        startedAt.push(clock.monotonic());
        await sleep(clock, 350); // slower than the 100 ms between arrivals: a closed loop would fall behind
      },
    });
    await clock.advance(2_000);
    const result = await run;
    expect(startedAt).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(result.outcomes.map((outcome) => outcome.latencyMs)).toEqual(Array(10).fill(350));
    expect(result.dropped).toEqual([]);
  });

  it('measures from the scheduled arrival, so the wait of an arrival started late counts', async () => {
    const { clock, fake, stall } = stallableClock();
    const run = runOpenLoop({
      ratePerSecond: 10,
      durationMs: 300,
      maxInFlight: 100,
      clock,
      operation: async (index) => {
        // The first arrival blocks the driver's event loop for 250 ms: those at 100 and 200 start at 250.
        if (index === 0) stall(250);
        await sleep(clock, 10);
      },
    });
    await fake.advance(1_000);
    const outcomes = (await run).outcomes.sort((a, b) => a.scheduledAt - b.scheduledAt);
    expect(outcomes.map(({ scheduledAt, startLagMs, latencyMs }) => [scheduledAt, startLagMs, latencyMs])).toEqual([
      [0, 0, 260],
      [100, 150, 160],
      [200, 50, 60],
    ]);
  });

  it('drops an arrival that finds maxInFlight operations running, and keeps to the schedule after it', async () => {
    const clock = new FakeClock();
    const run = runOpenLoop({
      ratePerSecond: 10,
      durationMs: 1_000,
      maxInFlight: 2,
      clock,
      operation: () => sleep(clock, 250),
    });
    await clock.advance(2_000);
    const result = await run;
    // 0 and 100 run until 250 and 350, so 200 finds two in flight; the same again at 500 and 800.
    expect(result.dropped).toEqual([200, 500, 800]);
    expect(result.outcomes.map((outcome) => outcome.scheduledAt).sort((a, b) => a - b)).toEqual([
      0, 100, 300, 400, 600, 700, 900,
    ]);
  });

  it('records a failed operation with its message, and waits for every started one', async () => {
    const clock = new FakeClock();
    const run = runOpenLoop({
      ratePerSecond: 2,
      durationMs: 1_000,
      maxInFlight: 10,
      clock,
      operation: async (index) => {
        await sleep(clock, 5_000);
        if (index === 1) throw new Error('order CANCELLED');
      },
    });
    await clock.advance(6_000);
    const { outcomes } = await run;
    expect(outcomes.map((outcome) => [outcome.scheduledAt, outcome.error])).toEqual([
      [0, undefined],
      [500, 'order CANCELLED'],
    ]);
  });
});
