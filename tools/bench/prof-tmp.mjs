// Throwaway: CPU profile of the order service under the waiting client at 4 customers (not committed).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSystem } from '@shop/demo/dist/index.js';
import { signTestToken } from '@shop/testing';
import { runClosedLoop } from './dist/closed-loop.js';
import { placeOrderUntilConfirmed } from './dist/place-order.js';
import { registerCustomer, stockBenchProduct, waitUntilOrderServiceKnows } from './dist/shop-setup.js';
const repoRoot = join(process.cwd(), '..', '..');
const dataDir = await mkdtemp(join(tmpdir(), 'prof-'));
const SERVICES = ['gateway', 'order', 'user', 'inventory', 'payment', 'shipping'];
const env = {};
for (const s of SERVICES)
  env[s] = {
    LOG_LEVEL: 'warn',
    OTEL_TRACES_EXPORTER: 'none',
    ...(process.env.PG ? { DATABASE_URL: `${process.env.PG}` } : {}),
  };
Object.assign(env.gateway, { RATE_LIMIT_MAX: '10000000', AUTH_RATE_LIMIT_MAX: '100000' });
env.order.NODE_OPTIONS = '--cpu-prof --cpu-prof-dir=/tmp/prof';
const system = await startSystem({ repoRoot, ports: 'dynamic', dataDir, keepData: false, extraEnv: env });
try {
  const operator = signTestToken(system.jwtSecret, { sub: 'bench', role: 'service', expiresInSeconds: 3600 });
  await stockBenchProduct(system.service('inventory').baseUrl, operator);
  const customers = [];
  for (let i = 0; i < 4; i++) customers.push(await registerCustomer(system.gatewayUrl, i));
  await Promise.all(customers.map((c) => waitUntilOrderServiceKnows(system.gatewayUrl, c)));
  const result = await runClosedLoop({
    concurrency: 4,
    durationMs: 15000,
    warmupMs: 2000,
    operationFor: (i) => () =>
      placeOrderUntilConfirmed({
        baseUrl: system.gatewayUrl,
        token: customers[i].token,
        pollMs: 100,
        timeoutMs: 30000,
        waitSeconds: 10,
      }),
  });
  console.log('throughput', result.throughput.toFixed(1), 'p50', result.latency.p50.toFixed(0));
} finally {
  await system.stop();
  await rm(dataDir, { recursive: true, force: true });
}
