#!/usr/bin/env node
// Which statements the Postgres server runs per confirmed order, per service database, with their execution time
// (the server's pg_stat_statements, which must be loaded: shared_preload_libraries = 'pg_stat_statements' and
// CREATE EXTENSION pg_stat_statements in the postgres database), and the SNS/SQS calls per order. A fresh database per
// service on BENCH_POSTGRES_URL's server, waiting-client customers.
// Usage (after a build): node scripts/pg-statements.mjs [customers=8] [durationMs=15000] [top=40]
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageDir, 'package.json'));
const { startBenchSystem, placeWaitingOrders, SERVICES } = require('./dist/bench-system.js');
const { createPostgresDatabases, DEFAULT_POSTGRES_URL } = require('./dist/postgres-databases.js');
const { openDatabase } = require('@shop/db');

const [customersArg = '8', durationArg = '15000', topArg = '40'] = process.argv.slice(2);
const customers = Number(customersArg);
const serverUrl = process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
const admin = await openDatabase({ url: serverUrl });
const databases = await createPostgresDatabases(SERVICES, serverUrl);
try {
  const bench = await startBenchSystem({
    repoRoot: resolve(packageDir, '../..'),
    databaseUrls: databases.urls,
    customers,
    pollMs: 20,
    log: (line) => console.log(line),
  });
  try {
    await admin.query('SELECT pg_stat_statements_reset()');
    const requests = async () => (await fetch(`${bench.system.localAwsUrl}/_local/requests`)).json();
    const awsBefore = await requests();
    const result = await placeWaitingOrders(bench, { durationMs: Number(durationArg) });
    const orders = result.completed;
    console.log(`${customers} customers: ${result.throughput.toFixed(1)} orders/s, ${orders} confirmed`);
    for (const [action, count] of Object.entries(await requests()))
      console.log(`${action.padEnd(40)} ${((count - (awsBefore[action] ?? 0)) / orders).toFixed(2)} calls/order`);
    const { rows: perDb } = await admin.query(
      `SELECT d.datname, sum(s.calls)::float8 AS calls, sum(s.total_exec_time)::float8 AS ms
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid GROUP BY 1 ORDER BY 3 DESC`,
    );
    for (const r of perDb)
      console.log(
        `${r.datname.padEnd(40)} ${(r.calls / orders).toFixed(1).padStart(7)} stmts/order ${(r.ms / orders).toFixed(2).padStart(7)} exec ms/order`,
      );
    const { rows } = await admin.query(
      `SELECT d.datname, s.calls::float8 AS calls, s.total_exec_time::float8 AS ms, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 150) AS q
         FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid ORDER BY s.calls DESC LIMIT $1`,
      [Number(topArg)],
    );
    for (const r of rows)
      console.log(
        `${(r.calls / orders).toFixed(2).padStart(6)} ${(r.ms / orders).toFixed(3).padStart(7)}ms ${r.datname.replace(/^.*_/, '').padEnd(10)} ${r.q}`,
      );
  } finally {
    await bench.stop();
  }
} finally {
  await databases.drop();
  await admin.close();
}
