/**
 * The footprint of `pnpm demo`: the system started the demo's way (one embedded PostgreSQL, six service processes),
 * how long until it is ready (a first start, then a second on a warm machine), and what every process holds after the
 * demo's scenarios: RSS and PSS of each service, of the postmaster and each of its children, and of this host process
 * (local-aws, the trace collector, the scenarios' client).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GatewayClient,
  Narrator,
  runScenarios,
  scenarios,
  startSystem,
  type DatabaseEngine,
  type RunningSystem,
} from '@shop/demo/dist/index';
import { SERVICES } from './bench-system';
import { childPids, commandLine, memoryMegabytes } from './process-usage';

export interface FootprintBenchOptions {
  repoRoot: string;
  /** `embedded` is the demo's default; `pglite` (one per service) is the baseline it replaced. */
  engines: DatabaseEngine[];
  log(line: string): void;
}

export interface ProcessFootprint {
  /** `order-service`, `postgres: postgres order [local] idle`, `host`, … */
  name: string;
  kind: 'service' | 'postgres' | 'host';
  rssMb: number;
  pssMb: number;
}

export interface FootprintRun {
  /** What the services ran on (`pglite` also when `embedded` was asked for but this machine has no binary). */
  database: DatabaseEngine;
  /** startSystem until every service answered /health/ready: the first start, then a second (warm) one. */
  readySeconds: { first: number; warm: number };
  scenarios: { passed: number; failed: string[] };
  processes: ProcessFootprint[];
  /** Every process above; and without the host, i.e. what the system adds beyond the process that started it. */
  total: { all: MemoryTotal; system: MemoryTotal };
}

export interface MemoryTotal {
  rssMb: number;
  pssMb: number;
}

export interface FootprintBenchResult {
  runs: FootprintRun[];
}

/** One system in a data dir of its own, on free ports, so a running demo is neither hit nor wiped. */
async function timedStart(repoRoot: string, database: DatabaseEngine, dataDir: string) {
  const startedAt = Date.now();
  const system = await startSystem({
    repoRoot,
    ports: 'dynamic',
    dataDir,
    keepData: false,
    database,
    onProgress: () => undefined,
    // Five PGlite services starting at once on a loaded two-core machine can take minutes.
    startupTimeoutMs: 300_000,
  });
  return { system, seconds: (Date.now() - startedAt) / 1000 };
}

function processesOf(system: RunningSystem): ProcessFootprint[] {
  const found: ProcessFootprint[] = [];
  const add = (name: string, kind: ProcessFootprint['kind'], pid: number | undefined) => {
    const memory = memoryMegabytes(pid);
    if (memory) found.push({ name, kind, rssMb: memory.rss, pssMb: memory.pss });
  };
  for (const name of SERVICES) add(`${name}-service`, 'service', system.service(name).child.pid);
  if (system.postgresPid !== undefined) {
    add('postgres (postmaster)', 'postgres', system.postgresPid);
    for (const pid of childPids(system.postgresPid)) add(commandLine(pid) ?? `postgres ${pid}`, 'postgres', pid);
  }
  add('host (local-aws, collector, scenarios)', 'host', process.pid);
  return found;
}

async function measure(repoRoot: string, database: DatabaseEngine, log: (line: string) => void): Promise<FootprintRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shop-footprint-'));
  try {
    const first = await timedStart(repoRoot, database, dataDir);
    let processes: ProcessFootprint[];
    let outcomes;
    try {
      log(`    ${first.system.database}: ready in ${first.seconds.toFixed(1)} s; running the demo's scenarios`);
      const out = new Narrator(() => undefined);
      const gateway = new GatewayClient(first.system.gatewayUrl, out);
      outcomes = await runScenarios(scenarios, { gateway, out, system: first.system });
      processes = processesOf(first.system);
    } finally {
      await first.system.stop();
    }
    const warm = await timedStart(repoRoot, database, dataDir);
    await warm.system.stop();
    const total = {
      all: sumOf(processes),
      system: sumOf(processes.filter((process) => process.kind !== 'host')),
    };
    const failed = outcomes.filter((outcome) => outcome.status === 'failed');
    log(
      `    ${first.system.database}: RSS ${total.all.rssMb.toFixed(0)} MB, PSS ${total.all.pssMb.toFixed(0)} MB over ` +
        `${processes.length} processes; warm start ${warm.seconds.toFixed(1)} s`,
    );
    return {
      database: first.system.database,
      readySeconds: { first: first.seconds, warm: warm.seconds },
      scenarios: {
        passed: outcomes.filter((outcome) => outcome.status === 'passed').length,
        failed: failed.map((outcome) => `${outcome.scenario.id}: ${outcome.error ?? ''}`),
      },
      processes,
      total,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function runFootprintBench(options: FootprintBenchOptions): Promise<FootprintBenchResult> {
  const runs: FootprintRun[] = [];
  // One after another: two systems at once would measure each other's pressure on the machine.
  for (const engine of options.engines) runs.push(await measure(options.repoRoot, engine, options.log));
  return { runs };
}

function sumOf(processes: ProcessFootprint[]): MemoryTotal {
  return processes.reduce((sum, p) => ({ rssMb: sum.rssMb + p.rssMb, pssMb: sum.pssMb + p.pssMb }), {
    rssMb: 0,
    pssMb: 0,
  });
}
