// One process of the telemetry-overhead benchmark, started by telemetry-overhead.ts with `fork` (with or without
// `--require` of the register hook). What a service does per request, and nothing about tracing:
//   ROLE=front  Fastify `GET /orders/:id` → fetch `${BACK_URL}/stock/42` → a `pg` query (when BENCH_POSTGRES_URL
//               is given) → JSON answer
//   ROLE=back   Fastify `GET /stock/:sku` (the downstream service; never traced, shared by every configuration)
// Sends `{ listening }` over IPC once ready; answers `usage` with its own CPU time and RSS.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Pool } from 'pg';

export interface ServiceUsage {
  type: 'usage';
  cpuMicros: number;
  rssBytes: number;
}

async function main(): Promise<void> {
  const app = Fastify();
  if (process.env.ROLE === 'back') {
    app.get('/stock/:sku', async () => ({ available: true }));
  } else {
    const pool = process.env.BENCH_POSTGRES_URL
      ? new Pool({ connectionString: process.env.BENCH_POSTGRES_URL, max: 4 })
      : undefined;
    app.get('/orders/:id', async (request) => {
      const stock = (await (await fetch(`${process.env.BACK_URL}/stock/42`)).json()) as { available: boolean };
      const row = pool
        ? (await pool.query<{ id: string }>('SELECT $1::text AS id', [(request.params as { id: string }).id])).rows[0]
        : undefined;
      return { id: row?.id, ...stock };
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });

  process.on('message', (message) => {
    if (message !== 'usage') return;
    const { user, system } = process.cpuUsage();
    const usage: ServiceUsage = { type: 'usage', cpuMicros: user + system, rssBytes: process.memoryUsage.rss() };
    process.send!(usage);
  });
  process.send!({ type: 'listening', url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
}

void main();
