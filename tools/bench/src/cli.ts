#!/usr/bin/env node
/**
 * `pnpm bench` (this package's `bench` script): saga throughput/latency on PGlite and Postgres against the bare
 * chain, fail-fast with the payment breaker open, a soak at half capacity, outbox → consumer latency, the resilience
 * and local-aws package benchmarks; prints a summary table and writes docs/benchmarks.md. Everything on 127.0.0.1,
 * bounded, self-stopping.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceName } from '@shop/demo/dist/index';
import { benchConfig, type BenchConfig } from './bench-config';
import { BARE_ROLES, type BareRole } from './bare-chain/start-bare-chain';
import { SERVICES } from './bench-system';
import { describeMachine, machineLine } from './machine';
import { runFootprintBench } from './footprint-bench';
import { runMessagingBench } from './messaging-bench';
import { runPackageBenches } from './package-benches';
import { createPostgresDatabases } from './postgres-databases';
import { reportDocument } from './report-document';
import { runReplicasBench } from './replicas-bench';
import { runSagaBench, type SagaBenchOptions } from './saga-bench';
import { runSoakBench } from './soak-bench';
import { soakWarmupMs } from './soak-figures';
import { summaryRows, textTable, type BenchResults } from './summary';

const repoRoot = join(__dirname, '..', '..', '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

function sagaOptions(config: BenchConfig, mode: SagaBenchOptions['mode']): Omit<SagaBenchOptions, 'databaseUrls'> {
  return {
    repoRoot,
    mode,
    levels: config.levels,
    durationMs: config.durationMs,
    warmupMs: config.warmupMs,
    pollMs: config.pollMs,
    failFastSamples: config.failFastSamples,
    runFailFast: mode === 'pglite',
    log,
  };
}

async function runAll(config: BenchConfig): Promise<BenchResults> {
  const results: BenchResults = { saga: [], skipped: [], packages: [] };
  if (config.sections.has('pglite')) {
    log('\n▶ Saga vs bare chain, PGlite (+ fail-fast)');
    results.saga.push(await runSagaBench(sagaOptions(config, 'pglite')));
  }
  if (config.sections.has('soak')) {
    log("\n▶ Soak: half the capacity, open loop (the demo's system: embedded Postgres)");
    // A system of its own, so the growth is the soak's alone (not the levels' and the fail-fast faults' before it).
    results.soak = await runSoakBench({
      repoRoot,
      durationMs: config.soakMs,
      warmupMs: soakWarmupMs(config.soakMs),
      probeMs: config.durationMs,
      pollMs: config.pollMs,
      log,
    });
  }
  if (config.sections.has('postgres')) {
    log('\n▶ Saga vs bare chain, Postgres');
    const names = [...SERVICES, ...BARE_ROLES.filter((r) => r !== 'gateway').map((r) => `bare_${r}`)];
    const databases = await createPostgresDatabases(names, config.postgresUrl);
    if (!databases) {
      const message = 'Postgres mode skipped: no server';
      log(`  ${message} at ${new URL(config.postgresUrl).host}`);
      results.skipped.push(message);
    } else {
      try {
        const system = Object.fromEntries(SERVICES.map((s) => [s, databases.urls[s]!])) as Record<ServiceName, string>;
        const bare = Object.fromEntries(BARE_ROLES.map((r) => [r, databases.urls[`bare_${r}`] ?? ''])) as Record<
          BareRole,
          string
        >;
        results.saga.push(await runSagaBench({ ...sagaOptions(config, 'postgres'), databaseUrls: { system, bare } }));
      } finally {
        await databases.drop();
      }
    }
  }
  if (config.sections.has('replicas')) {
    log('\n▶ Scaling out: one vs two order replicas (Postgres, Redis, every service ×2)');
    const customers = Math.max(...config.levels);
    const replicas = await runReplicasBench({ ...config, customers, log });
    if (typeof replicas === 'string') {
      log(`  ${replicas}`);
      results.skipped.push(replicas);
    } else {
      results.replicas = replicas;
    }
  }
  if (config.sections.has('messaging')) {
    log('\n▶ Messaging: outbox commit → consumer handler (local-aws, PGlite)');
    results.messaging = await runMessagingBench({
      events: config.messagingEvents,
      concurrency: config.messagingConcurrency,
    });
    const { sequential, concurrent } = results.messaging;
    log(`    sequential p50 ${sequential.p50.toFixed(2)} ms, p99 ${sequential.p99.toFixed(2)} ms`);
    log(
      `    ${concurrent.concurrency} producers p50 ${concurrent.p50.toFixed(2)} ms, p99 ${concurrent.p99.toFixed(2)} ms, ${concurrent.eventsPerSecond.toFixed(0)} events/s`,
    );
  }
  if (config.sections.has('footprint')) {
    log("\n▶ Footprint: `pnpm demo`'s processes after the scenarios, and its start-up");
    // The PGlite baseline (one WASM Postgres per service) needs ~2.5 GB and minutes: the full run only.
    const engines = config.quick ? (['embedded'] as const) : (['embedded', 'pglite'] as const);
    results.footprint = await runFootprintBench({ repoRoot, engines: [...engines], log });
  }
  if (config.sections.has('packages')) {
    log('\n▶ Package benchmarks: @shop/resilience, @shop/local-aws');
    results.packages = await runPackageBenches(repoRoot, config.quick);
    for (const pkg of results.packages) log(`    ${pkg.name}: ${pkg.ok ? `${pkg.figures.length} figures` : 'FAILED'}`);
  }
  return results;
}

async function main(): Promise<number> {
  const config = benchConfig();
  const machine = describeMachine();
  const startedAt = new Date();
  log(`Resilient Shop benchmarks${config.quick ? ' (quick)' : ''} — ${machineLine(machine)}`);
  const results = await runAll(config);
  const rows = summaryRows(results);
  log('\nSummary\n');
  log(textTable(rows));
  const totalSeconds = (Date.now() - startedAt.getTime()) / 1000;
  if (config.writeDocs) {
    const path = join(repoRoot, 'docs', 'benchmarks.md');
    await writeFile(path, reportDocument({ config, machine, startedAt, totalSeconds, results, rows }));
    log(`\nwritten to docs/benchmarks.md (run took ${Math.round(totalSeconds)} s)`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
