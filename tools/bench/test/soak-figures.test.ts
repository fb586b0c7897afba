import type { ClosedLoopResult } from '../src/closed-loop';
import type { ArrivalOutcome } from '../src/open-loop';
import { soakDrift, soakRate, soakWarmupMs, soakWindowMs, soakWindows, type SoakWindow } from '../src/soak-figures';

const level = (concurrency: number, throughput: number): ClosedLoopResult => ({
  concurrency,
  completed: throughput * 10,
  allCompleted: throughput * 12,
  failed: 0,
  throughput,
  latency: { count: throughput * 10, p50: 50, p99: 90, mean: 55, max: 100 },
  errors: [],
});
const confirmed = (scheduledAt: number, latencyMs: number): ArrivalOutcome => ({
  scheduledAt,
  latencyMs,
  startLagMs: 0,
});
const window = (p99: number): SoakWindow => ({
  fromMs: 0,
  toMs: 60_000,
  completed: 10,
  failed: 0,
  dropped: 0,
  latency: { count: 10, p50: p99 / 2, p99, mean: p99 / 2, max: p99 },
});

describe('soakRate', () => {
  it('is half the best throughput of the levels measured, whichever level that was', () => {
    const rate = soakRate([level(1, 8), level(8, 20), level(16, 18)]);
    expect(rate.ordersPerSecond).toBe(10);
    expect(rate.capacity.concurrency).toBe(8);
  });

  it('refuses to soak when no order was confirmed', () => {
    expect(() => soakRate([])).toThrow(/no order was confirmed/);
    expect(() => soakRate([level(8, 0)])).toThrow(/no order was confirmed/);
  });
});

describe('soakWindowMs', () => {
  it('is a minute for a soak of five minutes or more, a fifth of a shorter one', () => {
    expect(soakWindowMs(300_000)).toBe(60_000);
    expect(soakWindowMs(600_000)).toBe(60_000);
    expect(soakWindowMs(60_000)).toBe(12_000);
  });
});

describe('soakWarmupMs', () => {
  it('is one window, so the start RSS is read once the processes have reached their working size', () => {
    expect(soakWarmupMs(300_000)).toBe(60_000);
    expect(soakWarmupMs(60_000)).toBe(12_000);
  });
});

describe('soakWindows', () => {
  it('puts each arrival in the window of its scheduled time, with percentiles of that window only', () => {
    const outcomes = [
      confirmed(0, 10),
      confirmed(500, 30),
      { ...confirmed(900, 5_000), error: 'order CANCELLED' },
      // Scheduled in the first window, finished in the second: still the first window's.
      confirmed(999, 1_500),
      confirmed(1_000, 20),
      confirmed(2_100, 40),
    ];
    const windows = soakWindows({ outcomes, dropped: [1_200, 2_999] }, 3_000, 1_000);
    expect(windows.map((w) => [w.fromMs, w.toMs, w.completed, w.failed, w.dropped])).toEqual([
      [0, 1_000, 3, 1, 0],
      [1_000, 2_000, 1, 0, 1],
      [2_000, 3_000, 1, 0, 1],
    ]);
    expect(windows[0]!.latency).toMatchObject({ p50: 30, p99: 1_500 });
    expect(windows[1]!.latency).toMatchObject({ p50: 20, p99: 20 });
  });

  it('ends the last window at the end of the soak when the windows do not divide it', () => {
    const windows = soakWindows({ outcomes: [confirmed(2_400, 10)], dropped: [] }, 2_500, 1_000);
    expect(windows.map((w) => [w.fromMs, w.toMs, w.completed])).toEqual([
      [0, 1_000, 0],
      [1_000, 2_000, 0],
      [2_000, 2_500, 1],
    ]);
    expect(windows[0]!.latency.p99).toBeNaN();
  });
});

describe('soakDrift', () => {
  it('compares the last window’s p99 with the first’s, and the summed RSS at the end with the start', () => {
    const drift = soakDrift(
      [window(100), window(400), window(130)],
      { order: 300, gateway: 100 },
      { order: 330, gateway: 110 },
    );
    expect(drift.p99Ratio).toBeCloseTo(1.3, 10);
    expect(drift).toMatchObject({ rssMbStart: 400, rssMbEnd: 440 });
    expect(drift.rssGrowthPercent).toBeCloseTo(10, 10);
  });

  it('sums only the processes read at both ends, and is NaN without readings or without orders', () => {
    const drift = soakDrift([window(100)], { order: 300, gateway: 100 }, { order: 315 });
    expect(drift).toMatchObject({ rssMbStart: 300, rssMbEnd: 315, rssGrowthPercent: 5, p99Ratio: 1 });
    expect(soakDrift([], {}, {}).rssGrowthPercent).toBeNaN();
    expect(soakDrift([], {}, {}).p99Ratio).toBeNaN();
  });
});
