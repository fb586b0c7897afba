#!/usr/bin/env node
/**
 * `pnpm test:chaos`: starts the whole system (the demo's processes, in a temporary data directory), runs saga chaos
 * with duplicate deliveries, checks the invariants, then loads the gateway at twice its rate limit. Prints every
 * count, exits non-zero when a promise is broken. Bounded in time; stops everything by itself.
 *
 * Env: CHAOS_SEED, CHAOS_ORDERS (40), CHAOS_CUSTOMERS (4), CHAOS_SECONDS (20), CHAOS_CRASHES (3),
 * LOAD_SECONDS (30), LOAD_RATE_LIMIT_MAX (10 per second per customer), LOAD_CUSTOMERS (3), CHAOS_TIMEOUT_SECONDS (600).
 */
import { join } from 'node:path';
import { runSagaChaos } from '../chaos/saga-chaos';
import { checkInvariants } from '../invariants/check-invariants';
import { formatReport } from '../invariants/print-report';
import { readOutboxBacklog } from '../invariants/read-outbox-backlog';
import { startIsolatedSystem, type IsolatedSystem } from '../isolated-system';
import { runGatewayLoad, unacceptableStatuses } from '../load/gateway-load';
import { findChildPid } from '../load/process-rss';
import { seededRandom, seedFrom } from '../seeded-random';
import { envNumber } from './env-number';

const env = envNumber;

const repoRoot = join(__dirname, '..', '..', '..', '..');
const log = (line = '') => console.log(line);
const heading = (title: string) => log(`\n== ${title}`);

async function main(): Promise<number> {
  const seed = seedFrom(process.env.CHAOS_SEED);
  const random = seededRandom(seed);
  log(`chaos seed ${seed}  (re-run with CHAOS_SEED=${seed})`);
  const failures: string[] = [];

  heading('starting the system (local-aws, six services as processes, FAULT_INJECTION=on)');
  const isolated: IsolatedSystem = await startIsolatedSystem(repoRoot, (line) => log(`  ${line}`));
  const hardStop = setTimeout(
    () => {
      log(`\n✘ CHAOS_TIMEOUT_SECONDS exceeded: stopping`);
      void isolated.stop().finally(() => process.exit(2));
    },
    env('CHAOS_TIMEOUT_SECONDS', 600) * 1000,
  );
  try {
    const { system } = isolated;
    heading('saga chaos: concurrent orders, participant faults, order-service SIGKILLs, duplicate deliveries');
    const chaos = await runSagaChaos(system, random, {
      orders: env('CHAOS_ORDERS', 40),
      customers: env('CHAOS_CUSTOMERS', 4),
      durationMs: env('CHAOS_SECONDS', 20) * 1000,
      crashes: env('CHAOS_CRASHES', 3),
      declineRate: 0.2,
      duplicateProbability: 0.5,
      quiesceTimeoutMs: 120_000,
      log: (line) => log(`  ${line}`),
    });
    const byOutcome = new Map<string, number>();
    for (const order of chaos.placed)
      byOutcome.set(String(order.outcome), (byOutcome.get(String(order.outcome)) ?? 0) + 1);
    log(
      `  POST /api/orders outcomes: ${[...byOutcome].map(([o, n]) => `${o}×${n}`).join(', ')}; attempts ${chaos.placed.reduce((s, p) => s + p.attempts, 0)}`,
    );
    for (const crash of chaos.crashes)
      log(
        `  SIGKILL at ${(crash.atMs / 1000).toFixed(1)} s, down ${crash.downMs} ms, ready again after ${(crash.readyAfterMs / 1000).toFixed(1)} s`,
      );
    log(
      `  participant fault changes: ${chaos.faultChanges}; duplicate deliveries sent: ${JSON.stringify(chaos.duplicatesSent)}` +
        (chaos.duplicatorErrors.count
          ? ` (${chaos.duplicatorErrors.count} tap errors, last: ${chaos.duplicatorErrors.last})`
          : ''),
    );
    if (!chaos.settled) failures.push('the system did not settle within the deadline');
    if (chaos.placed.some((p) => p.outcome === 'gave-up')) failures.push('some orders were never accepted');

    heading(`load: gateway at 2× its rate limit`);
    // The limit is set to what the upstreams (PGlite services on a small machine) sustain, so that what passes the
    // limiter is served; twice that is offered.
    const limit = env('LOAD_RATE_LIMIT_MAX', 10);
    const gateway = system.service('gateway');
    // Restarted with a one-second window so that "twice the limit" is reached within a short run.
    await gateway.stop();
    gateway.start({ RATE_LIMIT_MAX: String(limit), RATE_LIMIT_WINDOW_MS: '1000' });
    await gateway.waitUntilReady();
    const gatewayPid = await findChildPid('services/gateway/dist/main.js');
    if (!gatewayPid) throw new Error('gateway process not found under /proc');
    const loadCustomers = chaos.customers.slice(0, env('LOAD_CUSTOMERS', 3));
    const seconds = env('LOAD_SECONDS', 30);
    log(
      `  ${loadCustomers.length} customers × ${2 * limit} req/s (limit ${limit}/s each) for ${seconds} s, gateway pid ${gatewayPid}`,
    );
    const load = await runGatewayLoad({
      gatewayUrl: system.gatewayUrl,
      gatewayPid,
      customers: loadCustomers,
      ratePerCustomer: 2 * limit,
      durationMs: seconds * 1000,
    });
    log(`  sent ${load.sent} (skipped ${load.skipped} ticks with too many in flight); p99 ${load.p99Ms.toFixed(0)} ms`);
    log(
      `  statuses: ${Object.entries(load.statuses)
        .map(([s, n]) => `${s}×${n}`)
        .join(', ')}`,
    );
    const rss = load.rssMiB;
    const middle = rss[Math.floor(rss.length / 2)]!;
    log(
      `  gateway RSS MiB: start ${rss[0]!.toFixed(1)}, middle ${middle.toFixed(1)}, end ${rss[rss.length - 1]!.toFixed(1)}, max ${Math.max(...rss).toFixed(1)}`,
    );
    const bad = unacceptableStatuses(load.statuses);
    if (bad.length) failures.push(`load: unacceptable answers ${bad.join(', ')}`);
    if (!load.statuses['429']) failures.push('load: no request was rate limited at 2× the limit');
    // Flat: after the first second's warm-up, memory may not keep growing by more than a quarter.
    const warm = rss[Math.min(1, rss.length - 1)]!;
    if (rss[rss.length - 1]! > warm * 1.25 + 16)
      failures.push(`load: gateway RSS grew from ${warm.toFixed(1)} to ${rss[rss.length - 1]!.toFixed(1)} MiB`);

    heading('invariants (services stopped; outbox read from their databases)');
    await isolated.stop();
    const outboxPending = await readOutboxBacklog(isolated.dataDir);
    const report = checkInvariants({ ...chaos.state, outboxPending });
    log(formatReport(report));
    failures.push(...report.violations.map((v) => `invariant: ${v}`));
  } finally {
    clearTimeout(hardStop);
    await isolated.stop();
    if (failures.length === 0) await isolated.remove();
    else log(`\nservice logs and databases kept in ${isolated.dataDir}`);
  }

  heading(failures.length ? `FAILED (${failures.length})` : 'PASSED');
  for (const failure of failures) log(`  ✘ ${failure}`);
  log(`  seed ${seed}`);
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
