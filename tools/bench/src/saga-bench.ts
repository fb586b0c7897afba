/**
 * Saga throughput and latency: the real system (tools/demo's startSystem: six service processes, local-aws, PGlite
 * or one Postgres database per service) driven through the gateway by closed-loop customers, then the bare chain
 * driven the same way in the same run. Optionally the fail-fast measurement on the real system before it stops.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningSystem, ServiceName } from '@shop/demo/dist/index';
import { startBareChain, type BareChain, type BareRole } from './bare-chain/start-bare-chain';
import {
  cpuMsPerOrder,
  cpuSecondsOf,
  perOrder,
  ORDER_TIMEOUT_MS,
  residentMegabytesOf,
  SERVICES,
  startBenchSystem,
  STEP_TIMEOUT_MS,
} from './bench-system';
import { openDatabase } from '@shop/db';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop';
import { FAIL_FAST_VARIANTS, runFailFast, type FailFastResult } from './fail-fast-bench';
import { placeOrderUntilConfirmed, WAITING_CLIENT_SECONDS, type ConfirmedOrder } from './place-order';
import { parentPid, processTreeCpuSeconds } from './process-usage';
import { sagaPhases, type SagaPhases } from './saga-phases';
import { totalOf } from './stats';
import type { BenchCustomer } from './shop-setup';

export type DatabaseMode = 'pglite' | 'postgres';

/** Who the CPU of a level is counted for: the six service processes, and what else the level keeps busy. */
export type CpuConsumer = ServiceName | 'postgres' | 'host';

export interface SagaBenchOptions {
  repoRoot: string;
  mode: DatabaseMode;
  /** Postgres mode: a database URL per service of the system and per role of the bare chain. */
  databaseUrls?: { system: Record<ServiceName, string>; bare: Record<BareRole, string> };
  levels: number[];
  durationMs: number;
  warmupMs: number;
  pollMs: number;
  failFastSamples: number;
  runFailFast: boolean;
  log(line: string): void;
}

/** One level of the real system, with what it cost the service processes. */
export interface SagaLevelResult extends ClosedLoopResult {
  /**
   * CPU time per confirmed order, ms (Linux only): each service process; `postgres`, the Postgres server's processes
   * (Postgres mode: the server is local); `host`, this process (local-aws, the trace collector, the customers).
   */
  cpuMsPerOrder: Partial<Record<CpuConsumer, number>>;
  /** Database round trips per confirmed order, each service (its `db_round_trips_total`). */
  roundTripsPerOrder: Partial<Record<ServiceName, number>>;
  /** SNS/SQS requests per confirmed order, per `service:Action` (local-aws's `/_local/requests`). */
  awsCallsPerOrder: Record<string, number>;
  /** Mean number of sagas running in the order service's worker slots (saga_worker_busy_seconds_total's rate). */
  sagasRunning?: number;
  /** Mean ms per phase of the confirmed orders' sagas (saga-phases.ts). */
  phases: SagaPhases;
}

export interface SagaBenchResult {
  mode: DatabaseMode;
  /** The polling client: GET every pollMs until CONFIRMED. */
  saga: SagaLevelResult[];
  /** The waiting client: GET with `Prefer: wait`, answered when the checkout settles. */
  sagaWaiting: SagaLevelResult[];
  bare: BareLevelResult[];
  failFast: FailFastResult[];
  /** Resident memory of each service process after the scenarios, MB (Linux only). */
  rssMbAfter: Partial<Record<ServiceName, number>>;
}

/** One level of the bare chain. */
export interface BareLevelResult extends ClosedLoopResult {
  /** Database round trips per confirmed order, each role with a database. */
  roundTripsPerOrder: Partial<Record<BareRole, number>>;
}

interface LevelClient {
  label: string;
  baseUrl: string;
  tokens: (string | undefined)[];
  waitSeconds?: number;
}

function runLevel(
  options: SagaBenchOptions,
  client: LevelClient,
  concurrency: number,
  onConfirmed?: (order: ConfirmedOrder) => void,
): Promise<ClosedLoopResult> {
  return runClosedLoop({
    concurrency,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    operationFor: (index) => () =>
      placeOrderUntilConfirmed({
        baseUrl: client.baseUrl,
        token: client.tokens[index],
        pollMs: options.pollMs,
        timeoutMs: ORDER_TIMEOUT_MS,
        ...(client.waitSeconds ? { waitSeconds: client.waitSeconds } : {}),
        ...(onConfirmed ? { onConfirmed } : {}),
      }),
  });
}

function logLevel(options: SagaBenchOptions, label: string, result: ClosedLoopResult, extra = ''): void {
  options.log(
    `    ${label.padEnd(12)} ${String(result.concurrency).padStart(3)} customers: ${result.throughput.toFixed(1).padStart(6)} orders/s, ` +
      `p50 ${result.latency.p50.toFixed(0)} ms, p99 ${result.latency.p99.toFixed(0)} ms${extra}` +
      (result.failed ? `, ${result.failed} failed (${result.errors.join('; ')})` : ''),
  );
}

async function runBareLevels(options: SagaBenchOptions, chain: BareChain): Promise<BareLevelResult[]> {
  const results: BareLevelResult[] = [];
  for (const concurrency of options.levels) {
    const before = await chain.roundTrips();
    // The bare gateway checks no token.
    const result = await runLevel(options, { label: 'bare', baseUrl: chain.gatewayUrl, tokens: [] }, concurrency);
    const roundTripsPerOrder = perOrder(before, await chain.roundTrips(), result.allCompleted);
    logLevel(options, 'bare', result, `; database round trips/order ${listed(roundTripsPerOrder, 1)}`);
    results.push({ ...result, roundTripsPerOrder });
  }
  return results;
}

function listed(values: Partial<Record<string, number>>, digits: number): string {
  const entries = Object.entries(values) as [string, number][];
  return `${entries.map(([name, value]) => `${name} ${value.toFixed(digits)}`).join(', ')} (all ${totalOf(values).toFixed(digits)})`;
}

/** Each level on the real system, with the service processes' CPU and the order worker's busy slots around it. */
async function runSystemLevels(
  options: SagaBenchOptions,
  system: RunningSystem,
  client: LevelClient,
  postmasterPid: number | undefined,
): Promise<SagaLevelResult[]> {
  const results: SagaLevelResult[] = [];
  for (const concurrency of options.levels) {
    const before = await usageOf(system, postmasterPid);
    const startedAt = performance.now();
    const confirmedOrders: ConfirmedOrder[] = [];
    const result = await runLevel(options, client, concurrency, (order) => confirmedOrders.push(order));
    const after = await usageOf(system, postmasterPid);
    const seconds = (performance.now() - startedAt) / 1_000;
    // Counted around the whole level, warm-up included, so divided by every order the level completed.
    const cpuPerOrder = cpuMsPerOrder(before.cpu, after.cpu, result.allCompleted);
    const roundTripsPerOrder = perOrder(before.roundTrips, after.roundTrips, result.allCompleted);
    // The actions an order uses: not start-up's provisioning calls (no growth), nor the DLQ-depth reads behind the
    // /metrics scrapes this bench itself makes around each level (a few in all, ~0.01 per order).
    const awsCallsPerOrder = Object.fromEntries(
      Object.entries(perOrder(before.awsCalls, after.awsCalls, result.allCompleted)).filter(
        ([, calls]) => calls! >= 0.05,
      ),
    ) as Record<string, number>;
    const busy = after.sagaBusySeconds - before.sagaBusySeconds;
    const level: SagaLevelResult = {
      ...result,
      cpuMsPerOrder: cpuPerOrder,
      roundTripsPerOrder,
      awsCallsPerOrder,
      phases: sagaPhases(confirmedOrders),
      ...(Number.isFinite(busy) ? { sagasRunning: busy / seconds } : {}),
    };
    const cpu = Object.entries(cpuPerOrder)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ');
    logLevel(
      options,
      client.label,
      result,
      `; sagas running ${level.sagasRunning?.toFixed(1) ?? 'n/a'}; CPU ms/order ${cpu}` +
        `; database round trips/order ${listed(roundTripsPerOrder, 1)}; SNS/SQS calls/order ${listed(awsCallsPerOrder, 1)}`,
    );
    results.push(level);
  }
  return results;
}

interface Usage {
  cpu: Partial<Record<CpuConsumer, number>>;
  roundTrips: Partial<Record<ServiceName, number>>;
  awsCalls: Record<string, number>;
  sagaBusySeconds: number;
}

async function usageOf(system: RunningSystem, postmasterPid: number | undefined): Promise<Usage> {
  const { user, system: kernel } = process.cpuUsage();
  const postgres = postmasterPid === undefined ? undefined : processTreeCpuSeconds(postmasterPid);
  const cpu = {
    ...cpuSecondsOf(system),
    ...(postgres !== undefined ? { postgres } : {}),
    host: (user + kernel) / 1e6,
  };
  // The gateway has no database (and serves its metrics on a port of their own).
  const withDatabase = SERVICES.filter((name) => name !== 'gateway');
  const metrics = Object.fromEntries(
    await Promise.all(
      withDatabase.map(async (name) => [name, await (await fetch(`${system.service(name).baseUrl}/metrics`)).text()]),
    ),
  ) as Record<ServiceName, string>;
  const roundTrips: Partial<Record<ServiceName, number>> = {};
  for (const name of withDatabase) {
    const value = sumOfSeries(metrics[name], 'db_round_trips_total');
    if (value !== undefined) roundTrips[name] = value;
  }
  const awsCalls = (await (await fetch(`${system.localAwsUrl}/_local/requests`)).json()) as Record<string, number>;
  return {
    cpu,
    roundTrips,
    awsCalls,
    sagaBusySeconds: sumOfSeries(metrics.order, 'saga_worker_busy_seconds_total') ?? 0,
  };
}

/** The sum of a metric's series in a Prometheus text page; undefined when the page has none. */
function sumOfSeries(page: string, metric: string): number | undefined {
  const series = [...page.matchAll(new RegExp(`^${metric}(?:\\{[^}]*\\})?\\s+([\\d.e+-]+)$`, 'gm'))];
  return series.length ? series.reduce((sum, match) => sum + Number(match[1]), 0) : undefined;
}

/**
 * After a fail-fast variant: the breaker only leaves `open` when a call is tried, so keep placing orders until one is
 * CONFIRMED (a trial call went through) and the gauge reads closed — and until no saga of the variant is still
 * running (each waits out its own backoff before its next payment attempt, up to a minute). Otherwise the next variant
 * starts with hundreds of retries of the last one landing on its fault: they trip the breaker before its own orders
 * do and load the order service while its POSTs are timed (a full run measured POST p99 700 ms that way, 30 ms alone).
 */
async function waitUntilSettled(
  orderUrl: string,
  gatewayUrl: string,
  customer: BenchCustomer,
  pollMs: number,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  let breakerClosed = false;
  while (Date.now() < deadline) {
    if (!breakerClosed) {
      const confirmed = await placeOrderUntilConfirmed({
        baseUrl: gatewayUrl,
        token: customer.token,
        pollMs,
        timeoutMs: 30_000,
      }).then(
        () => true,
        () => false,
      );
      const text = await (await fetch(`${orderUrl}/metrics`)).text();
      breakerClosed = confirmed && !/^circuit_breaker_state\{[^}]*downstream="payment[^"]*"[^}]*\}\s+[12]/m.test(text);
    }
    if (breakerClosed && (await sagasUnderWay(orderUrl)) === 0) return;
    await sleep(1_000);
  }
  throw new Error('the fail-fast variant did not settle (breaker closed, no saga running) within 180 s');
}

/** Sagas RUNNING or COMPENSATING, from the order service's `saga_instances` gauge. */
async function sagasUnderWay(orderUrl: string): Promise<number> {
  const text = await (await fetch(`${orderUrl}/metrics`)).text();
  let count = 0;
  for (const match of text.matchAll(/^saga_instances\{[^}]*state="(RUNNING|COMPENSATING)"[^}]*\}\s+(\d+)/gm)) {
    count += Number(match[2]);
  }
  return count;
}

async function benchSystem(options: SagaBenchOptions): Promise<Omit<SagaBenchResult, 'mode' | 'bare'>> {
  options.log(`  starting the system (${options.mode})…`);
  const {
    system,
    operatorToken: operator,
    customers,
    stop,
  } = await startBenchSystem({
    repoRoot: options.repoRoot,
    ...(options.databaseUrls ? { databaseUrls: options.databaseUrls.system } : {}),
    customers: Math.max(...options.levels, 4),
    pollMs: options.pollMs,
    log: options.log,
  });
  try {
    const tokens = customers.map((c) => c.token);
    const postmaster = options.databaseUrls ? await postmasterPidOf(options.databaseUrls.system.order) : undefined;
    const saga = await runSystemLevels(
      options,
      system,
      { label: 'saga polling', baseUrl: system.gatewayUrl, tokens },
      postmaster,
    );
    const sagaWaiting = await runSystemLevels(
      options,
      system,
      { label: 'saga waiting', baseUrl: system.gatewayUrl, tokens, waitSeconds: WAITING_CLIENT_SECONDS },
      postmaster,
    );
    const rssMbAfter = residentMegabytesOf(system);

    const failFast: FailFastResult[] = [];
    if (options.runFailFast) {
      for (const variant of FAIL_FAST_VARIANTS) {
        options.log(`  fail-fast: ${variant.name}`);
        const context = {
          gatewayUrl: system.gatewayUrl,
          paymentUrl: system.service('payment').baseUrl,
          operatorToken: operator,
          orderUrl: system.service('order').baseUrl,
          customers,
          stepTimeoutMs: STEP_TIMEOUT_MS,
          samples: options.failFastSamples,
          log: options.log,
        };
        const result = await runFailFast(context, variant);
        options.log(
          `    POST /api/orders p99 ${result.post.p99.toFixed(1)} ms; processPayment attempts while open p50 ` +
            `${result.attemptsWhileOpen.p50.toFixed(0)} ms p99 ${result.attemptsWhileOpen.p99.toFixed(0)} ms ` +
            `(before open p50 ${result.attemptsBeforeOpen.p50.toFixed(0)} ms)`,
        );
        failFast.push(result);
        await waitUntilSettled(context.orderUrl, system.gatewayUrl, customers[0]!, options.pollMs);
      }
    }
    return { saga, sagaWaiting, failFast, rssMbAfter };
  } finally {
    await stop();
  }
}

/**
 * The postmaster of the server behind `url`: the parent of the backend serving a connection. Only when that server
 * runs on this machine (its /proc is readable); its processes' CPU then counts every database on it, so the figure
 * is this benchmark's only on a machine where nothing else uses that server meanwhile.
 */
async function postmasterPidOf(url: string): Promise<number | undefined> {
  const db = await openDatabase({ url });
  try {
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]?.pid;
    return backend === undefined || processTreeCpuSeconds(backend) === undefined ? undefined : parentPid(backend);
  } finally {
    await db.close();
  }
}

async function benchBareChain(options: SagaBenchOptions): Promise<BareLevelResult[]> {
  options.log(`  starting the bare chain (${options.mode})…`);
  const chain = await startBareChain(options.databaseUrls?.bare);
  try {
    await runClosedLoop({
      concurrency: Math.max(...options.levels),
      durationMs: 2_000,
      warmupMs: 0,
      operationFor: () => () =>
        placeOrderUntilConfirmed({ baseUrl: chain.gatewayUrl, pollMs: options.pollMs, timeoutMs: ORDER_TIMEOUT_MS }),
    });
    return await runBareLevels(options, chain);
  } finally {
    await chain.stop();
  }
}

export async function runSagaBench(options: SagaBenchOptions): Promise<SagaBenchResult> {
  const system = await benchSystem(options);
  const bare = await benchBareChain(options);
  return { mode: options.mode, ...system, bare };
}
