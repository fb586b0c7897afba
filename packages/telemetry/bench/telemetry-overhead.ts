// Benchmark: what the tracing bootstrap costs a service per request when it exports nowhere. The same small
// Fastify service (overhead-service.ts: a route that fetches from a downstream service and runs a pg query) runs in
// one child process per configuration — without `--require` of the register hook (the baseline), with
// `OTEL_TRACES_EXPORTER=none`, with `OTEL_SDK_DISABLED=true` — and is driven with the same requests in interleaved
// rounds. Reports requests/s, the service's own CPU time per request and its RSS, each as a ratio to the baseline
// measured in the same round (the median of those ratios: on a shared machine whole rounds speed up and slow down
// together). A second baseline process shows the noise floor: how far two identical processes differ.
// Run: pnpm --filter @shop/telemetry bench   (compiles with tsc; knobs: BENCH_REQUESTS, BENCH_CONCURRENCY,
// BENCH_ROUNDS, BENCH_WARMUP, BENCH_POSTGRES_URL — the pg query is left out when Postgres does not answer)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ServiceUsage } from './overhead-service';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const servicePath = join(__dirname, 'overhead-service.js');
const registerPath = join(__dirname, '..', 'src', 'register.js');

interface Configuration {
  name: string;
  register: boolean;
  env: Record<string, string>;
}

const configurations: Configuration[] = [
  { name: 'no --require (baseline)', register: false, env: {} },
  { name: 'no --require (noise floor: a second baseline)', register: false, env: {} },
  { name: 'OTEL_TRACES_EXPORTER=none', register: true, env: { OTEL_TRACES_EXPORTER: 'none' } },
  { name: 'OTEL_SDK_DISABLED=true', register: true, env: { OTEL_SDK_DISABLED: 'true' } },
];

interface Service {
  child: ChildProcess;
  url: string;
  startMs: number;
}

async function startService(env: Record<string, string>, register: boolean): Promise<Service> {
  const startedAt = performance.now();
  const child = fork(servicePath, [], {
    execArgv: register ? ['--require', registerPath] : [],
    env: { PATH: process.env.PATH ?? '', OTEL_SERVICE_NAME: 'bench-service', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited with ${code}`)));
    child.on('message', (message: { type: string; url?: string }) => {
      if (message.type === 'listening') resolve(message.url!);
    });
  });
  return { child, url, startMs: performance.now() - startedAt };
}

function usageOf(service: Service): Promise<ServiceUsage> {
  return new Promise((resolve) => {
    const onMessage = (message: ServiceUsage) => {
      if (message.type !== 'usage') return;
      service.child.off('message', onMessage);
      resolve(message);
    };
    service.child.on('message', onMessage);
    service.child.send('usage');
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: string): Promise<void> {
  // A caller's traceparent, as the gateway sends one: the service continues that trace when it records spans.
  const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { traceparent } }, (response) => {
      response.resume();
      response.once('end', () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${response.statusCode}`)),
      );
    })
      .once('error', reject)
      .end();
  });
}

/** `count` requests with `CONCURRENCY` in flight; resolves with the elapsed milliseconds. */
async function drive(service: Service, count: number): Promise<number> {
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await get(`${service.url}/orders/${next++}`);
    }),
  );
  return performance.now() - startedAt;
}

async function postgresAnswers(): Promise<boolean> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Round {
  requestsPerSecond: number;
  cpuMsPerRequest: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  const withPostgres = await postgresAnswers();
  console.log(
    `Node ${process.version}, ${os.type()} ${os.release()}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ` +
      `load ${os.loadavg()[0]!.toFixed(1)}; per request: fetch to a second Fastify process` +
      `${withPostgres ? ' + a pg query' : ` (no pg query: ${POSTGRES_URL} does not answer)`}; ` +
      `${REQUESTS} requests × ${CONCURRENCY} concurrent × ${ROUNDS} interleaved rounds after ${WARMUP} warm-up ` +
      `(medians over rounds)\n`,
  );

  const back = await startService({ ROLE: 'back' }, false);
  const services = new Map<Configuration, Service>();
  for (const configuration of configurations) {
    const env = {
      ROLE: 'front',
      BACK_URL: back.url,
      ...(withPostgres ? { BENCH_POSTGRES_URL: POSTGRES_URL } : {}),
      ...configuration.env,
    };
    services.set(configuration, await startService(env, configuration.register));
  }
  try {
    for (const service of services.values()) await drive(service, WARMUP);
    const rounds = new Map<Configuration, Round[]>(configurations.map((c) => [c, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotated so that no configuration always runs first (or right after the same neighbour) in a round.
      const order = configurations.map((_, i) => configurations[(i + round) % configurations.length]!);
      for (const configuration of order) {
        const service = services.get(configuration)!;
        const before = await usageOf(service);
        const elapsedMs = await drive(service, REQUESTS);
        const after = await usageOf(service);
        rounds.get(configuration)!.push({
          requestsPerSecond: REQUESTS / (elapsedMs / 1000),
          cpuMsPerRequest: (after.cpuMicros - before.cpuMicros) / 1000 / REQUESTS,
        });
      }
    }

    const baselineRounds = rounds.get(configurations[0]!)!;
    const baselineRss = (await usageOf(services.get(configurations[0]!)!)).rssBytes;
    /** Median over rounds of this configuration's figure divided by the baseline's in the same round. */
    const ratio = (measured: Round[], figure: keyof Round): string =>
      `${median(measured.map((r, i) => r[figure] / baselineRounds[i]![figure])).toFixed(2)}×`;
    console.log('| configuration | req/s | vs baseline | CPU ms/req | vs baseline | RSS MB | vs baseline | start ms |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const configuration of configurations) {
      const service = services.get(configuration)!;
      const measured = rounds.get(configuration)!;
      const rss = (await usageOf(service)).rssBytes;
      console.log(
        `| ${configuration.name} | ${median(measured.map((r) => r.requestsPerSecond)).toFixed(0)} ` +
          `| ${ratio(measured, 'requestsPerSecond')} ` +
          `| ${median(measured.map((r) => r.cpuMsPerRequest)).toFixed(3)} | ${ratio(measured, 'cpuMsPerRequest')} ` +
          `| ${(rss / 2 ** 20).toFixed(0)} | ${(rss / baselineRss).toFixed(2)}× | ${service.startMs.toFixed(0)} |`,
      );
    }
  } finally {
    agent.destroy();
    for (const service of [back, ...services.values()]) service.child.kill();
  }
}

void main();
