#!/usr/bin/env node
/**
 * `pnpm test:replicas`: two replicas of every service on one Postgres (a database per service) and one Redis, behind
 * round-robin balancers on 127.0.0.1; the chaos suite's traffic, faults and duplicate deliveries while order replicas
 * are SIGKILLed mid-saga and one replica of each participant is SIGKILLed (all restarted); then the chaos suite's
 * invariants plus the replicas' own (no step on two processes at once, each event once per consumer group). Prints
 * the report; exits non-zero when a promise is broken. Skips (exit 0, with the reason) without Postgres on
 * 127.0.0.1:5432 or Redis on 127.0.0.1:6379. Bounded: a hard stop ends the run and cleans up whatever happens.
 *
 * Env: CHAOS_SEED, REPLICAS_ORDERS (40), REPLICAS_CUSTOMERS (4), REPLICAS_SECONDS (20), REPLICAS_ORDER_KILLS (3),
 * REPLICAS_TIMEOUT_SECONDS (300).
 */
import { systemTopology } from '@shop/contracts';
import { checkInvariants, type InvariantReport } from '../invariants/check-invariants';
import { formatReport } from '../invariants/print-report';
import { OUTBOX_SERVICES } from '../invariants/read-outbox-backlog';
import { checkReplicaInvariants } from '../replicas/check-replica-invariants';
import { missingServers } from '../replicas/local-servers';
import { runReplicaChaos } from '../replicas/replica-chaos';
import { readReplicaEvidence } from '../replicas/replica-evidence';
import { removeRunDirectory, SERVICES, startReplicaSystem, type ReplicaSystem } from '../replicas/replica-system';
import { probeSharedRateLimit } from '../replicas/shared-rate-limit';
import { seededRandom, seedFrom } from '../seeded-random';
import { envNumber } from './env-number';

const log = (line = '') => console.log(line);
const heading = (title: string) => log(`\n== ${title}`);
const CONSUMERS = Object.keys(systemTopology.consumers);
/** Set by a hard stop or a signal: the exit code then, whatever main() returns while cleaning up. */
let abortedWith: number | undefined;

async function main(): Promise<number> {
  const missing = await missingServers();
  if (missing) {
    log(`SKIPPED pnpm test:replicas: ${missing}`);
    return 0;
  }
  const seed = seedFrom(process.env.CHAOS_SEED);
  const random = seededRandom(seed);
  log(`replicas seed ${seed}  (re-run with CHAOS_SEED=${seed})`);
  const failures: string[] = [];
  let system: ReplicaSystem | undefined;
  const startedAt = Date.now();

  // Whatever happens — a hang, Ctrl+C — the processes stop and the databases are dropped before exiting: during
  // start-up by aborting it (it cleans up after itself), later by destroying the running system.
  const startup = new AbortController();
  let startingUp: Promise<ReplicaSystem> | undefined;
  const abort = (why: string, code: number) => {
    log(`\n✘ ${why}: stopping`);
    abortedWith = code;
    startup.abort();
    const cleanup = (startingUp ?? Promise.resolve(undefined)).then(
      (started) => started?.destroy(),
      () => undefined, // an aborted start-up has already stopped what it started and dropped the databases
    );
    void cleanup.finally(() => process.exit(code));
  };
  const hardStop = setTimeout(
    () => abort('REPLICAS_TIMEOUT_SECONDS exceeded', 2),
    envNumber('REPLICAS_TIMEOUT_SECONDS', 300) * 1000,
  );
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));

  try {
    heading('starting two replicas of each service (Postgres per service, shared Redis, round-robin balancers)');
    startingUp = startReplicaSystem({
      onProgress: (line) => log(`  ${line}`),
      startupTimeoutMs: 120_000,
      signal: startup.signal,
    });
    system = await startingUp;

    heading('chaos with replicas: traffic, participant faults, duplicate deliveries, SIGKILLed replicas');
    const chaos = await runReplicaChaos(system, random, {
      orders: envNumber('REPLICAS_ORDERS', 40),
      customers: envNumber('REPLICAS_CUSTOMERS', 4),
      durationMs: envNumber('REPLICAS_SECONDS', 20) * 1000,
      orderKills: envNumber('REPLICAS_ORDER_KILLS', 3),
      declineRate: 0.2,
      duplicateProbability: 0.5,
      quiesceTimeoutMs: 90_000,
      log: (line) => log(`  ${line}`),
    });
    const outcomes = new Map<string, number>();
    for (const order of chaos.placed)
      outcomes.set(String(order.outcome), (outcomes.get(String(order.outcome)) ?? 0) + 1);
    log(`  POST /api/orders outcomes: ${[...outcomes].map(([o, n]) => `${o}×${n}`).join(', ')}`);
    for (const kill of chaos.kills)
      log(
        `  SIGKILL ${kill.replica} at ${(kill.atMs / 1000).toFixed(1)} s` +
          (kill.leasesHeld !== undefined ? ` holding ${kill.leasesHeld} saga leases` : '') +
          `, ready again after ${(kill.readyAfterMs / 1000).toFixed(1)} s`,
      );
    log(`  duplicate deliveries sent: ${JSON.stringify(chaos.duplicatesSent)}`);
    log(
      `  connections per replica (balancers): ${SERVICES.map((s) => `${s} ${system!.balancers[s].connections.join('/')}`).join(', ')}`,
    );
    if (!chaos.settled) failures.push('the system did not settle within the deadline');
    if (chaos.placed.some((p) => p.outcome === 'gave-up')) failures.push('some orders were never accepted');
    if (chaos.kills.some((k) => k.replica.startsWith('order') && !k.leasesHeld))
      failures.push('an order replica was killed holding no saga lease (not mid-saga)');

    const probe = await probeSharedRateLimit(
      system.replicas('gateway').map((g) => g.url),
      chaos.customers[0]!,
    );
    log(`  shared rate limit: RateLimit-Remaining ${probe.remaining.join(' then ')} from gateway#0, gateway#1`);
    if (!probe.shared) failures.push('the two gateways do not share one rate limit per customer');

    heading('invariants (processes stopped; step log, inboxes and outboxes read from the databases)');
    await system.stopProcesses();
    const evidence = await readReplicaEvidence(system.databaseUrls, OUTBOX_SERVICES, CONSUMERS);
    const outboxPending = Object.fromEntries(
      OUTBOX_SERVICES.map((s) => [s, evidence.outbox.filter((r) => r.producer === s && !r.published).length]),
    );
    const names = system.processNames;
    const ownerName = (owner: string) => {
      const pid = Number(owner.split(':').at(-2));
      return `${names.get(pid) ?? 'unknown process'} (pid ${pid})`;
    };
    const report = mergeReports(
      checkInvariants({ ...chaos.state, outboxPending }),
      checkReplicaInvariants(evidence, systemTopology, ownerName),
    );
    log(formatReport(report));
    failures.push(...report.violations.map((v) => `invariant: ${v}`));
  } catch (error) {
    failures.push(`run stopped: ${(error as Error).stack ?? String(error)}`);
  } finally {
    clearTimeout(hardStop);
    await system?.destroy();
    if (system && failures.length === 0) await removeRunDirectory(system.dir);
    else if (system) log(`\nreplica logs kept in ${system.dir}/logs (databases dropped)`);
  }

  heading(failures.length ? `FAILED (${failures.length})` : 'PASSED');
  for (const failure of failures) log(`  ✘ ${failure}`);
  log(`  seed ${seed}; ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  return failures.length ? 1 : 0;
}

function mergeReports(...reports: InvariantReport[]): InvariantReport {
  return { counts: reports.flatMap((r) => r.counts), violations: reports.flatMap((r) => r.violations) };
}

main().then(
  (code) => process.exit(abortedWith ?? code),
  (error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
