/**
 * A closed-loop load driver: N virtual customers, each doing one operation after another (never more than one in
 * flight each), for a fixed time. Closed loop on purpose: offered load adapts to how fast the system answers, so the
 * figure is "what N busy customers get", not a queue growing behind an open-loop rate the system cannot hold.
 */
import { summarize, type LatencySummary } from './stats';

/** One operation of one customer: resolves with how long it took (ms) or throws when it failed. */
export type Operation = () => Promise<number>;

export interface ClosedLoopOptions {
  concurrency: number;
  /** Measured window. Operations started during warm-up are not counted. */
  durationMs: number;
  warmupMs: number;
  /** Builds customer `index`'s operation (e.g. one order for that customer). */
  operationFor(index: number): Operation;
  /** Wall clock; injected so the driver can be tested without real time. */
  now?: () => number;
}

export interface ClosedLoopResult {
  concurrency: number;
  /** Operations started inside the measured window and finished before its end: the throughput and latency's. */
  completed: number;
  /**
   * Every operation that finished, warm-up and overrun included: the divisor for a cost measured around the whole
   * run (CPU seconds, database round trips), so the warm-up's work is not charged to the window's orders.
   */
  allCompleted: number;
  failed: number;
  /** Completed operations per second of measured window. */
  throughput: number;
  latency: LatencySummary;
  /** The first few distinct error messages, to say why operations failed. */
  errors: string[];
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const measureFrom = started + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latencies: number[] = [];
  const errors = new Set<string>();
  let failed = 0;
  let allCompleted = 0;

  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, index) => {
      const operation = options.operationFor(index);
      while (now() < stopAt) {
        const begun = now();
        try {
          const took = await operation();
          allCompleted += 1;
          // Counted when it started inside the window and finished before its end: the window's own work only.
          if (begun >= measureFrom && now() <= stopAt) latencies.push(took);
        } catch (error) {
          if (begun >= measureFrom) failed += 1;
          if (errors.size < 5) errors.add((error as Error).message);
        }
      }
    }),
  );

  return {
    concurrency: options.concurrency,
    completed: latencies.length,
    allCompleted,
    failed,
    throughput: latencies.length / (options.durationMs / 1000),
    latency: summarize(latencies),
    errors: [...errors],
  };
}
