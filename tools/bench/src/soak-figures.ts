/**
 * The soak's arithmetic, apart from its I/O (soak-bench.ts): the rate it runs at, its windows of time, and how much
 * the last window drifted from the first — p99 latency and the service processes' resident memory.
 */
import type { ClosedLoopResult } from './closed-loop';
import type { OpenLoopResult } from './open-loop';
import { summarize, type LatencySummary } from './stats';

/** The soak's offered load as a share of the capacity measured in the same run. */
export const SOAK_LOAD_SHARE = 0.5;

export interface SoakRate {
  ordersPerSecond: number;
  /** The level it is a share of: the closed-loop level with the highest throughput. */
  capacity: ClosedLoopResult;
}

/** Half the best throughput of the closed-loop levels measured (waiting client). */
export function soakRate(levels: readonly ClosedLoopResult[]): SoakRate {
  const capacity = levels.reduce<ClosedLoopResult | undefined>(
    (best, level) => (!best || level.throughput > best.throughput ? level : best),
    undefined,
  );
  if (!capacity || !(capacity.throughput > 0))
    throw new Error('soak: no order was confirmed while measuring the capacity, so there is no rate to soak at');
  return { ordersPerSecond: SOAK_LOAD_SHARE * capacity.throughput, capacity };
}

/** Minutes for a soak of five minutes or more; a fifth of a shorter one, so even a quick soak has five windows. */
export function soakWindowMs(durationMs: number): number {
  return Math.min(60_000, durationMs / 5);
}

/**
 * One window of open-loop load at the soak's rate before the measured part. A process's resident memory climbs
 * while it reaches its working size — V8's heaps and JIT code, each database's page cache filling with the tables
 * the load writes — and a start reading taken a few seconds in counts that climb as growth (a 120 s soak read
 * +29.5% from a start taken after 2 s). Read after a window, the start is the steady state a leak grows from.
 */
export function soakWarmupMs(durationMs: number): number {
  return soakWindowMs(durationMs);
}

export interface SoakWindow {
  fromMs: number;
  toMs: number;
  completed: number;
  failed: number;
  dropped: number;
  /** Of the completed arrivals, scheduled arrival → CONFIRMED. */
  latency: LatencySummary;
}

/** Arrivals by the window of their scheduled time (not of their completion): each window's own offered load. */
export function soakWindows(run: OpenLoopResult, durationMs: number, windowMs: number): SoakWindow[] {
  const count = Math.ceil(durationMs / windowMs);
  const windowOf = (scheduledAt: number) => Math.min(count - 1, Math.floor(scheduledAt / windowMs));
  const windows = Array.from({ length: count }, (_, i) => ({
    fromMs: i * windowMs,
    toMs: Math.min(durationMs, (i + 1) * windowMs),
    latencies: [] as number[],
    failed: 0,
    dropped: 0,
  }));
  for (const outcome of run.outcomes) {
    const window = windows[windowOf(outcome.scheduledAt)]!;
    if (outcome.error) window.failed += 1;
    else window.latencies.push(outcome.latencyMs);
  }
  for (const scheduledAt of run.dropped) windows[windowOf(scheduledAt)]!.dropped += 1;
  return windows.map(({ latencies, ...window }) => ({
    ...window,
    completed: latencies.length,
    latency: summarize(latencies),
  }));
}

export interface SoakDrift {
  /** p99 of the last window / p99 of the first: NaN when either has no completed order. */
  p99Ratio: number;
  /** Summed over the processes read at both ends, MB. */
  rssMbStart: number;
  rssMbEnd: number;
  /** (end − start) / start, %; NaN without readings (not Linux). */
  rssGrowthPercent: number;
}

export function soakDrift(
  windows: readonly SoakWindow[],
  rssMbStart: Readonly<Record<string, number | undefined>>,
  rssMbEnd: Readonly<Record<string, number | undefined>>,
): SoakDrift {
  const first = windows[0]?.latency.p99 ?? Number.NaN;
  const last = windows.at(-1)?.latency.p99 ?? Number.NaN;
  const both = Object.keys(rssMbStart).filter((name) => rssMbStart[name] !== undefined && rssMbEnd[name] !== undefined);
  const start = both.reduce((sum, name) => sum + rssMbStart[name]!, 0);
  const end = both.reduce((sum, name) => sum + rssMbEnd[name]!, 0);
  return {
    p99Ratio: last / first,
    rssMbStart: start,
    rssMbEnd: end,
    rssGrowthPercent: both.length && start > 0 ? ((end - start) / start) * 100 : Number.NaN,
  };
}
