/**
 * An open-loop load driver: arrivals on a fixed schedule, whatever the system answers. Where the closed loop
 * (closed-loop.ts) asks what N busy customers get, this holds an offered rate and shows whether the system keeps up
 * with it over time — a slow answer does not slow the next arrival down, so a queue building up shows as latency.
 */
import { sleep, systemClock, type Clock } from '@shop/clock';

export interface OpenLoopOptions {
  ratePerSecond: number;
  durationMs: number;
  /**
   * An arrival that finds this many operations still in flight is dropped, not started: an overloaded system then
   * shows as drops, instead of as a pile of open requests and promises growing until the benchmark runs out of memory.
   */
  maxInFlight: number;
  /** Arrival `index`'s operation (one customer flow); resolves when done, throws when it failed. */
  operation(index: number): Promise<unknown>;
  clock?: Clock;
}

/** One started arrival. Times in ms from the start of the run. */
export interface ArrivalOutcome {
  scheduledAt: number;
  /**
   * From the scheduled arrival to the end of the operation, not from when it actually started: when the driver falls
   * behind its schedule, that wait is the system's doing and counts (no coordinated omission).
   */
  latencyMs: number;
  /** How long after its scheduled time the arrival started (event-loop lag of the driver). */
  startLagMs: number;
  error?: string;
}

export interface OpenLoopResult {
  outcomes: ArrivalOutcome[];
  /** Scheduled times of the arrivals dropped because `maxInFlight` operations were running. */
  dropped: number[];
}

/**
 * Arrival i at i × 1000/rate ms, for every arrival before `durationMs`. A fixed interval rather than a random
 * (Poisson) one: every window of the run gets the same offered load, so a later window that answers slower than the
 * first says something about the system, not about the arrivals it happened to draw.
 */
export function arrivalSchedule(ratePerSecond: number, durationMs: number): number[] {
  if (!(ratePerSecond > 0)) throw new Error(`arrival rate ${ratePerSecond}/s: expected a positive rate`);
  const intervalMs = 1_000 / ratePerSecond;
  return Array.from({ length: Math.ceil(durationMs / intervalMs) }, (_, i) => i * intervalMs);
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.monotonic();
  const elapsed = () => clock.monotonic() - startedAt;
  const outcomes: ArrivalOutcome[] = [];
  const dropped: number[] = [];
  const running = new Set<Promise<void>>();

  for (const [index, scheduledAt] of arrivalSchedule(options.ratePerSecond, options.durationMs).entries()) {
    const wait = scheduledAt - elapsed();
    // Behind schedule (wait ≤ 0): start at once, the lateness is in the latency.
    if (wait > 0) await sleep(clock, wait);
    if (running.size >= options.maxInFlight) {
      dropped.push(scheduledAt);
      continue;
    }
    const startLagMs = elapsed() - scheduledAt;
    const done: Promise<void> = options
      .operation(index)
      .then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      )
      .then((error) => {
        outcomes.push({ scheduledAt, latencyMs: elapsed() - scheduledAt, startLagMs, ...(error ? { error } : {}) });
        running.delete(done);
      });
    running.add(done);
  }
  await Promise.all(running);
  return { outcomes, dropped };
}
