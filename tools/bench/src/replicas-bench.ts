/**
 * Scaling out: orders/s to CONFIRMED with one and with two order replicas, on the replica system of
 * `pnpm test:replicas` (two replicas of every service on one Postgres and one Redis, a round-robin balancer in front
 * of each pair). The same system serves both measurements: first with order#1 stopped (its balancer skips a replica
 * that refuses), then with it back. Customers use the waiting client. Needs Postgres and Redis on 127.0.0.1.
 */
import { missingServers, startReplicaSystem, type ReplicaSystem } from '@shop/reliability';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop';
import { placeOrderUntilConfirmed, WAITING_CLIENT_SECONDS } from './place-order';
import { registerCustomer, stockBenchProduct, waitUntilOrderServiceKnows, type BenchCustomer } from './shop-setup';

export interface ReplicasBenchOptions {
  customers: number;
  durationMs: number;
  warmupMs: number;
  pollMs: number;
  log(line: string): void;
}

export interface ReplicasBenchResult {
  customers: number;
  oneOrderReplica: ClosedLoopResult;
  twoOrderReplicas: ClosedLoopResult;
}

/** The figures, or why the section was skipped (Postgres or Redis is not there). */
export async function runReplicasBench(options: ReplicasBenchOptions): Promise<ReplicasBenchResult | string> {
  const missing = await missingServers();
  if (missing) return `replicas skipped: ${missing}`;
  options.log('  starting two replicas of every service (Postgres, Redis)…');
  const system = await startReplicaSystem({
    onProgress: () => undefined,
    startupTimeoutMs: 120_000,
    // As in the saga section: quieter logs, and the rate limits (shared in Redis, per IP for sign-ins) out of the way.
    extraEnv: {
      gateway: { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '10000000', AUTH_RATE_LIMIT_MAX: '100000' },
      order: { LOG_LEVEL: 'warn' },
      user: { LOG_LEVEL: 'warn' },
      inventory: { LOG_LEVEL: 'warn' },
      payment: { LOG_LEVEL: 'warn' },
      shipping: { LOG_LEVEL: 'warn' },
    },
  });
  try {
    const operatorToken = system.serviceAuth().authorization!.replace(/^Bearer /, '');
    await stockBenchProduct(system.entry('inventory'), operatorToken);
    const customers: BenchCustomer[] = [];
    for (let i = 0; i < options.customers; i++) customers.push(await registerCustomer(system.gatewayUrl, i));
    await Promise.all(customers.map((customer) => waitUntilOrderServiceKnows(system.gatewayUrl, customer)));
    const measure = (label: string) => measureLevel(system, options, customers, label);

    const [, second] = system.replicas('order');
    await second!.process.stop();
    const oneOrderReplica = await measure('1 order replica ');
    await system.restart(second!);
    const twoOrderReplicas = await measure('2 order replicas');
    return { customers: options.customers, oneOrderReplica, twoOrderReplicas };
  } finally {
    await system.destroy();
  }
}

async function measureLevel(
  system: ReplicaSystem,
  options: ReplicasBenchOptions,
  customers: { token: string }[],
  label: string,
): Promise<ClosedLoopResult> {
  const result = await runClosedLoop({
    concurrency: customers.length,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs,
    operationFor: (index) => () =>
      placeOrderUntilConfirmed({
        baseUrl: system.gatewayUrl,
        token: customers[index]!.token,
        pollMs: options.pollMs,
        timeoutMs: 30_000,
        waitSeconds: WAITING_CLIENT_SECONDS,
      }),
  });
  options.log(
    `    ${label} ${customers.length} customers: ${result.throughput.toFixed(1)} orders/s, p50 ${result.latency.p50.toFixed(0)} ms, ` +
      `p99 ${result.latency.p99.toFixed(0)} ms${result.failed ? `, ${result.failed} failed (${result.errors.join('; ')})` : ''}`,
  );
  return result;
}
