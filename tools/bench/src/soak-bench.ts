/**
 * The soak: the real system as `pnpm demo` runs it (one embedded Postgres with a database per service, the demo's
 * Node flags) held at half its measured capacity for minutes, open loop, to show whether latency and memory stay
 * flat. The capacity is a short closed-loop probe on this very system: the saga section's levels are another
 * system's (PGlite, Node's default flags).
 */
import type { ServiceName } from '@shop/demo/dist/index';
import { runClosedLoop } from './closed-loop';
import {
  cpuMsPerOrder,
  cpuSecondsOf,
  ORDER_TIMEOUT_MS,
  postgresMemoryMegabytesOf,
  residentMegabytesOf,
  SERVICES,
  startBenchSystem,
  type BenchSystem,
} from './bench-system';
import { runOpenLoop, type OpenLoopResult } from './open-loop';
import { placeOrderUntilConfirmed, WAITING_CLIENT_SECONDS } from './place-order';
import { soakDrift, soakRate, soakWindowMs, soakWindows, type SoakDrift, type SoakWindow } from './soak-figures';
import { SOAK_P99_DRIFT_TARGET, SOAK_RSS_GROWTH_TARGET_PERCENT } from './summary';

export interface SoakBenchOptions {
  repoRoot: string;
  durationMs: number;
  /** Open loop at the soak's rate before the measured part, not counted (and the start RSS read after it). */
  warmupMs: number;
  /** The capacity probe's measured window. */
  probeMs: number;
  pollMs: number;
  log(line: string): void;
}

export interface SoakBenchResult {
  ordersPerSecond: number;
  capacity: { ordersPerSecond: number; customers: number };
  durationMs: number;
  windowMs: number;
  maxInFlight: number;
  windows: SoakWindow[];
  completed: number;
  failed: number;
  dropped: number;
  /** Arrivals that started more than LATE_START_MS after their scheduled time (the driver's own lag). */
  lateStarts: number;
  errors: string[];
  /** Each service process's RSS, and `postgres`: the embedded server's processes' summed PSS. */
  rssMbStart: SoakMemory;
  rssMbEnd: SoakMemory;
  cpuMsPerOrder: Partial<Record<ServiceName, number>>;
  drift: SoakDrift;
}

export type SoakMemory = Partial<Record<ServiceName | 'postgres', number>>;

function soakMemoryOf(system: BenchSystem['system']): SoakMemory {
  const postgres = postgresMemoryMegabytesOf(system);
  return { ...residentMegabytesOf(system), ...(postgres !== undefined ? { postgres } : {}) };
}

/** Orders from several customers round-robin, as a shop's traffic is; no customer's orders wait on each other. */
const CUSTOMERS = 16;
const PROBE_CUSTOMERS = 8;
/**
 * At half capacity a few orders are in flight (Little: rate × latency, about half the customers of the best level);
 * 64 is far above that, so reaching it means the system fell behind — and it bounds what an overload piles up.
 */
const MAX_IN_FLIGHT = 64;
export const LATE_START_MS = 100;

export async function runSoakBench(options: SoakBenchOptions): Promise<SoakBenchResult> {
  options.log("  starting the system (the demo's: embedded Postgres)…");
  const { system, customers, stop } = await startBenchSystem({
    repoRoot: options.repoRoot,
    engine: 'demo',
    customers: CUSTOMERS,
    pollMs: options.pollMs,
    log: options.log,
  });
  const order = (index: number) =>
    placeOrderUntilConfirmed({
      baseUrl: system.gatewayUrl,
      token: customers[index % customers.length]!.token,
      pollMs: options.pollMs,
      timeoutMs: ORDER_TIMEOUT_MS,
      waitSeconds: WAITING_CLIENT_SECONDS,
    });
  try {
    options.log(`  capacity probe: ${PROBE_CUSTOMERS} waiting customers, closed loop, ${options.probeMs / 1000} s`);
    const probe = await runClosedLoop({
      concurrency: PROBE_CUSTOMERS,
      durationMs: options.probeMs,
      warmupMs: 0,
      operationFor: (index) => () => order(index),
    });
    const rate = soakRate([probe]);
    const windowMs = soakWindowMs(options.durationMs);
    options.log(
      `  ${rate.ordersPerSecond.toFixed(2)} orders/s open loop (half of ${rate.capacity.throughput.toFixed(1)} at ` +
        `${rate.capacity.concurrency} customers) for ${options.durationMs / 1000} s, windows of ` +
        `${windowMs / 1000} s, at most ${MAX_IN_FLIGHT} in flight…`,
    );
    const openLoop = (durationMs: number) =>
      runOpenLoop({ ratePerSecond: rate.ordersPerSecond, durationMs, maxInFlight: MAX_IN_FLIGHT, operation: order });

    await openLoop(options.warmupMs);
    const rssMbStart = soakMemoryOf(system);
    const cpuStart = cpuSecondsOf(system);
    const run = await openLoop(options.durationMs);
    const rssMbEnd = soakMemoryOf(system);
    const cpuEnd = cpuSecondsOf(system);

    const windows = soakWindows(run, options.durationMs, windowMs);
    const completed = windows.reduce((sum, window) => sum + window.completed, 0);
    const result: SoakBenchResult = {
      ordersPerSecond: rate.ordersPerSecond,
      capacity: { ordersPerSecond: rate.capacity.throughput, customers: rate.capacity.concurrency },
      durationMs: options.durationMs,
      windowMs,
      maxInFlight: MAX_IN_FLIGHT,
      windows,
      completed,
      failed: windows.reduce((sum, window) => sum + window.failed, 0),
      dropped: run.dropped.length,
      lateStarts: run.outcomes.filter((outcome) => outcome.startLagMs > LATE_START_MS).length,
      errors: firstErrors(run),
      rssMbStart,
      rssMbEnd,
      cpuMsPerOrder: cpuMsPerOrder(cpuStart, cpuEnd, completed),
      drift: soakDrift(windows, rssMbStart, rssMbEnd),
    };
    logSoak(options.log, result);
    return result;
  } finally {
    await stop();
  }
}

function firstErrors(run: OpenLoopResult): string[] {
  return [...new Set(run.outcomes.flatMap((outcome) => (outcome.error ? [outcome.error] : [])))].slice(0, 5);
}

const fixed = (value: number | undefined, digits = 0) =>
  value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a';

function logSoak(log: (line: string) => void, result: SoakBenchResult): void {
  for (const window of result.windows) {
    const span = `${fixed(window.fromMs / 1000)}–${fixed(window.toMs / 1000)} s`;
    log(
      `    ${span.padStart(11)}: ${String(window.completed).padStart(5)} confirmed, p50 ${fixed(window.latency.p50)} ms, ` +
        `p99 ${fixed(window.latency.p99)} ms, ${window.failed} failed, ${window.dropped} dropped`,
    );
  }
  const { drift } = result;
  log(
    `    p99 last/first window ${fixed(drift.p99Ratio, 2)} (target ≤ ${SOAK_P99_DRIFT_TARGET}); RSS ` +
      `${fixed(drift.rssMbStart)} → ${fixed(drift.rssMbEnd)} MB (${fixed(drift.rssGrowthPercent, 1)}%, target < ` +
      `${SOAK_RSS_GROWTH_TARGET_PERCENT}%); ${result.dropped} dropped, ${result.lateStarts} started > ${LATE_START_MS} ms late` +
      (result.errors.length ? `; errors: ${result.errors.join('; ')}` : ''),
  );
  log(
    `    RSS MB start → end: ${[...SERVICES, 'postgres' as const].map((name) => `${name} ${fixed(result.rssMbStart[name])} → ${fixed(result.rssMbEnd[name])}`).join(', ')}`,
  );
  log(`    CPU ms/order: ${SERVICES.map((name) => `${name} ${fixed(result.cpuMsPerOrder[name])}`).join(', ')}`);
}
