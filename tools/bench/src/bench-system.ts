/**
 * The real system as the saga and soak sections drive it: tools/demo's startSystem with the benchmark settings, the
 * benchmark product stocked, customers registered and warmed up; and what its service processes cost (/proc).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem, type RunningSystem, type ServiceName } from '@shop/demo/dist/index';
import { signTestToken } from '@shop/testing';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop';
import { placeOrderUntilConfirmed, WAITING_CLIENT_SECONDS } from './place-order';
import { childPids, cpuSeconds, memoryMegabytes, residentMegabytes } from './process-usage';
import { registerCustomer, stockBenchProduct, waitUntilOrderServiceKnows, type BenchCustomer } from './shop-setup';

export const SERVICES: ServiceName[] = ['gateway', 'order', 'user', 'inventory', 'payment', 'shipping'];
export const STEP_TIMEOUT_MS = 10_000;
/** One order gives up after this long and counts as failed. */
export const ORDER_TIMEOUT_MS = 30_000;

export interface BenchSystemOptions {
  repoRoot: string;
  /** Postgres mode: one database URL per service; otherwise `engine`. */
  databaseUrls?: Record<ServiceName, string>;
  /**
   * Without URLs: `pglite` (default; the saga section measures PGlite, at Node's default flags like the bare chain) or
   * `demo` — what `pnpm demo` runs: one embedded Postgres with a database per service and the demo's Node flags.
   */
  engine?: 'pglite' | 'demo';
  customers: number;
  pollMs: number;
  log(line: string): void;
}

export interface BenchSystem {
  system: RunningSystem;
  /** A service principal's token, for the operator calls (stock, faults). */
  operatorToken: string;
  /** Registered, known to the order service, each with one order confirmed. */
  customers: BenchCustomer[];
  stop(): Promise<void>;
}

/** Benchmark settings on top of the demo's: no rate limit in the way, quieter logs, no tracing export. */
function benchEnvironment(
  databaseUrls: Record<ServiceName, string> | undefined,
): Partial<Record<ServiceName, Record<string, string>>> {
  const env: Partial<Record<ServiceName, Record<string, string>>> = {};
  for (const name of SERVICES) {
    env[name] = {
      LOG_LEVEL: 'warn',
      OTEL_TRACES_EXPORTER: 'none',
      ...(databaseUrls ? { DATABASE_URL: databaseUrls[name] } : {}),
    };
  }
  Object.assign(env.gateway!, { RATE_LIMIT_MAX: '10000000', AUTH_RATE_LIMIT_MAX: '100000' });
  Object.assign(env.order!, { SAGA_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS) });
  return env;
}

export async function startBenchSystem(options: BenchSystemOptions): Promise<BenchSystem> {
  // Ports from the OS and a data directory of our own: a running `pnpm demo` (or test) is neither hit nor wiped.
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-bench-system-'));
  let system: RunningSystem;
  try {
    system = await startSystem({
      repoRoot: options.repoRoot,
      ports: 'dynamic',
      dataDir,
      keepData: false,
      // The saga section measures PGlite when given no URLs (the demo's own default is one embedded Postgres), at
      // Node's defaults as the bare chain runs: the demo's memory-saving flags would tilt the saga/bare ratio.
      ...(options.engine === 'demo' ? { database: 'embedded' } : { database: 'pglite', nodeFlags: [] }),
      extraEnv: benchEnvironment(options.databaseUrls),
      onProgress: (service, state, detail) => {
        if (state === 'failed') options.log(`    ${service} failed: ${detail ?? ''}`);
      },
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async () => {
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const operatorToken = signTestToken(system.jwtSecret, { sub: 'bench', role: 'service', expiresInSeconds: 3_600 });
    await stockBenchProduct(system.service('inventory').baseUrl, operatorToken);
    const customers: BenchCustomer[] = [];
    for (let i = 0; i < options.customers; i++) customers.push(await registerCustomer(system.gatewayUrl, i));
    // Warm-up: every customer's first order to CONFIRMED (replica caught up, JIT warm, connections open).
    await Promise.all(customers.map((customer) => waitUntilOrderServiceKnows(system.gatewayUrl, customer)));
    await runClosedLoop({
      concurrency: customers.length,
      durationMs: 2_000,
      warmupMs: 0,
      operationFor: (index) => () =>
        placeOrderUntilConfirmed({
          baseUrl: system.gatewayUrl,
          token: customers[index]!.token,
          pollMs: options.pollMs,
          timeoutMs: ORDER_TIMEOUT_MS,
        }),
    });
    return { system, operatorToken, customers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** CPU seconds so far of each service process (Linux only; others left out). */
export function cpuSecondsOf(system: RunningSystem): Partial<Record<ServiceName, number>> {
  return readEach(system, cpuSeconds);
}

/** Resident memory of each service process now, MB (Linux only; others left out). */
export function residentMegabytesOf(system: RunningSystem): Partial<Record<ServiceName, number>> {
  return readEach(system, residentMegabytes);
}

/**
 * The embedded Postgres server's memory now — the postmaster and every backend and worker — as their summed PSS, MB.
 * Not RSS: each backend's RSS counts the shared buffers it has touched again, so the sum of RSS swings with how many
 * pooled connections happen to be open (826 → 404 MB in one 30 s soak); PSS shares each page among its mappers.
 */
export function postgresMemoryMegabytesOf(system: RunningSystem): number | undefined {
  if (system.postgresPid === undefined) return undefined;
  const readings = [system.postgresPid, ...childPids(system.postgresPid)].map((pid) => memoryMegabytes(pid)?.pss);
  return readings.every((value) => value === undefined)
    ? undefined
    : readings.reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

function readEach(
  system: RunningSystem,
  read: (pid: number | undefined) => number | undefined,
): Partial<Record<ServiceName, number>> {
  const values: Partial<Record<ServiceName, number>> = {};
  for (const name of SERVICES) {
    const value = read(system.service(name).child.pid);
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** (after − before) / orders for each name both readings have, × `scale` — e.g. 1,000 for CPU seconds → ms. */
export function perOrder<Name extends string>(
  before: Partial<Record<Name, number>>,
  after: Partial<Record<Name, number>>,
  orders: number,
  scale = 1,
): Partial<Record<Name, number>> {
  const result: Partial<Record<Name, number>> = {};
  for (const name of Object.keys(after) as Name[]) {
    const used = (after[name] ?? Number.NaN) - (before[name] ?? Number.NaN);
    if (Number.isFinite(used)) result[name] = (used * scale) / Math.max(1, orders);
  }
  return result;
}

/** CPU ms per order of each process between two readings of `cpuSecondsOf` (seconds). */
export function cpuMsPerOrder<Name extends string>(
  before: Partial<Record<Name, number>>,
  after: Partial<Record<Name, number>>,
  orders: number,
): Partial<Record<Name, number>> {
  return perOrder(before, after, orders, 1_000);
}

/** The bench's registered customers placing waiting-client orders, closed loop (for the profiling scripts). */
export function placeWaitingOrders(
  bench: BenchSystem,
  { durationMs, warmupMs = 0 }: { durationMs: number; warmupMs?: number },
): Promise<ClosedLoopResult> {
  return runClosedLoop({
    concurrency: bench.customers.length,
    durationMs,
    warmupMs,
    operationFor: (index) => () =>
      placeOrderUntilConfirmed({
        baseUrl: bench.system.gatewayUrl,
        token: bench.customers[index]!.token,
        pollMs: 20,
        waitSeconds: WAITING_CLIENT_SECONDS,
        timeoutMs: ORDER_TIMEOUT_MS,
      }),
  });
}
