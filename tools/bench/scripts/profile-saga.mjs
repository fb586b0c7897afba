#!/usr/bin/env node
// Where each service spends its CPU per confirmed order: the benchmark's system (dist/bench-system.js) with every
// service under --cpu-prof, driven by closed-loop waiting-client customers; writes the profiles and the load window.
// Usage (after a build): node scripts/profile-saga.mjs <out-dir> [customers=4] [durationMs=15000]
//   then: node scripts/cpu-profile-summary.mjs <out-dir> [top=25] [service]
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const { startBenchSystem, cpuSecondsOf, cpuMsPerOrder, SERVICES, ORDER_TIMEOUT_MS } = require('./dist/bench-system.js');
const { runClosedLoop } = require('./dist/closed-loop.js');
const { placeOrderUntilConfirmed, WAITING_CLIENT_SECONDS } = require('./dist/place-order.js');

const [outArg, customersArg = '4', durationArg = '15000'] = process.argv.slice(2);
if (!outArg) throw new Error('usage: profile-saga.mjs <out-dir> [customers] [durationMs]');
const outDir = resolve(outArg);
mkdirSync(outDir, { recursive: true });
const customers = Number(customersArg);
// Set here, after this process started: only the service processes (which inherit it) are profiled. A coarser
// interval than the default 1 ms keeps the profiler's own cost small on a loaded machine.
process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${outDir} --cpu-prof-interval=500`;

const bench = await startBenchSystem({
  repoRoot: resolve(packageDir, '../..'),
  customers,
  pollMs: 20,
  log: (line) => console.log(line),
});
const pids = Object.fromEntries(SERVICES.map((name) => [name, bench.system.service(name).child.pid]));
// The profiles' timestamps are CLOCK_MONOTONIC microseconds, as process.hrtime: the summary keeps this window only.
const windowStart = Number(process.hrtime.bigint() / 1000n);
const before = cpuSecondsOf(bench.system);
const result = await runClosedLoop({
  concurrency: customers,
  durationMs: Number(durationArg),
  warmupMs: 0,
  operationFor: (index) => () =>
    placeOrderUntilConfirmed({
      baseUrl: bench.system.gatewayUrl,
      token: bench.customers[index].token,
      pollMs: 20,
      waitSeconds: WAITING_CLIENT_SECONDS,
      timeoutMs: ORDER_TIMEOUT_MS,
    }),
});
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
