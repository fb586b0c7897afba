#!/usr/bin/env node
// Where each service spends its CPU per confirmed order: the benchmark's system (dist/bench-system.js) with every
// service under --cpu-prof, driven by closed-loop waiting-client customers; writes the profiles and the load window.
// Usage (after a build): node scripts/profile-saga.mjs <out-dir> [customers=4] [durationMs=15000]
//   then: node scripts/cpu-profile-summary.mjs <out-dir> [top=25] [service]
// PROFILE_POSTGRES=1: a fresh database per service on BENCH_POSTGRES_URL's server (dropped afterwards) instead of PGlite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const {
  startBenchSystem,
  placeWaitingOrders,
  cpuSecondsOf,
  cpuMsPerOrder,
  SERVICES,
} = require('./dist/bench-system.js');
const { createPostgresDatabases, DEFAULT_POSTGRES_URL } = require('./dist/postgres-databases.js');

const [outArg, customersArg = '4', durationArg = '15000'] = process.argv.slice(2);
if (!outArg) throw new Error('usage: profile-saga.mjs <out-dir> [customers] [durationMs]');
const outDir = resolve(outArg);
mkdirSync(outDir, { recursive: true });
const customers = Number(customersArg);
// Set here, after this process started: only the service processes (which inherit it) are profiled. A coarser
// interval than the default 1 ms keeps the profiler's own cost small on a loaded machine.
process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${outDir} --cpu-prof-interval=500`;

const databases =
  process.env.PROFILE_POSTGRES === '1'
    ? await createPostgresDatabases(SERVICES, process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL)
    : undefined;
const bench = await startBenchSystem({
  repoRoot: resolve(packageDir, '../..'),
  databaseUrls: databases?.urls,
  customers,
  pollMs: 20,
  log: (line) => console.log(line),
});
const pids = Object.fromEntries(SERVICES.map((name) => [name, bench.system.service(name).child.pid]));
// The profiles' timestamps are CLOCK_MONOTONIC microseconds, as process.hrtime: the summary keeps this window only.
const windowStart = Number(process.hrtime.bigint() / 1000n);
const before = cpuSecondsOf(bench.system);
const result = await placeWaitingOrders(bench, { durationMs: Number(durationArg) });
const perOrder = cpuMsPerOrder(before, cpuSecondsOf(bench.system), result.completed);
const windowEnd = Number(process.hrtime.bigint() / 1000n);
writeFileSync(join(outDir, 'window.json'), JSON.stringify({ windowStart, windowEnd, pids, orders: result.completed }));
console.log(
  `${customers} customers: ${result.throughput.toFixed(1)} orders/s, p50 ${result.latency.p50.toFixed(1)} ms, ` +
    `${result.completed} confirmed, ${result.failed} failed`,
);
console.log(
  `CPU ms/order (/proc, unprofiled would be lower): ${JSON.stringify(perOrder, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`,
);
await bench.stop(); // graceful shutdown: each service writes its .cpuprofile as it exits
await databases?.drop();
