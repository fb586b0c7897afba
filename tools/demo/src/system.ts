/**
 * The whole system on one machine, no Docker: local-aws (SNS+SQS) and a trace collector in this process, the
 * topology provisioned, one embedded PostgreSQL server with a database per service (or PGlite in each service), then
 * the six services as separate processes, each started once what it needs is ready.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, provisionTopology, type AwsClients } from '@shop/messaging';
import { startTraceCollector, type TraceCollector } from '@shop/telemetry';
import { bearer, ServiceProcess, type StartupPhase } from '@shop/testing';
import { DEMO_SETTINGS, LOCAL_NODE_FLAGS, localServiceSettings } from './demo-settings';
import { freePorts } from './free-ports';
import { EmbeddedPostgresUnavailable, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export type ServiceName = 'user' | 'inventory' | 'payment' | 'shipping' | 'order' | 'gateway';

/** The services that own a database (the gateway has none). */
export const DATABASE_SERVICES = ['order', 'user', 'inventory', 'payment', 'shipping'] as const satisfies ServiceName[];

/**
 * Where the services' databases live. `embedded` (default): one PostgreSQL server, a database per service, over a Unix
 * socket (~40 MB for all five instead of ~220 MB of WASM memory per PGlite). `pglite`: each service its own PGlite in
 * its data dir, for platforms without an embedded binary (and the benchmark that measures PGlite).
 */
export type DatabaseEngine = 'embedded' | 'pglite';

export function parseDatabaseEngine(value: string | undefined, source = '--database'): DatabaseEngine {
  if (value === undefined || value === 'embedded' || value === 'pglite') return value ?? 'embedded';
  throw new Error(`${source}=${JSON.stringify(value)}: expected embedded or pglite`);
}

/** The well-known ports of an interactive demo (tests ask for free ones instead: `ports: 'dynamic'`). */
export const PORTS: Record<ServiceName, number> = {
  gateway: 3000,
  order: 3001,
  user: 3002,
  inventory: 3003,
  payment: 3004,
  shipping: 3005,
};
const LOCAL_AWS_PORT = 4566;
/** The gateway's internal /metrics listener in the documented layout. */
const GATEWAY_METRICS_PORT = 9464;

/** Every port of a system started with `--port-base N`: the six services at N…N+5, the console N+6, then the
 * gateway's metrics listener N+7 and local-aws N+8 (3000 gives the documented layout except for those two). */
export function portsFromBase(base: number): {
  services: Record<ServiceName, number>;
  console: number;
  gatewayMetrics: number;
  localAws: number;
} {
  if (!Number.isInteger(base) || base < 1024 || base + 8 > 65_535) {
    throw new Error(`--port-base must be an integer from 1024 to 65527 (got ${base})`);
  }
  const services = Object.fromEntries(
    (Object.keys(PORTS) as ServiceName[]).map((name) => [name, base + PORTS[name] - PORTS.gateway]),
  ) as Record<ServiceName, number>;
  return { services, console: base + 6, gatewayMetrics: base + 7, localAws: base + 8 };
}

/**
 * Start-up waves. No service calls another while starting (each only needs its own database and, for messaging,
 * local-aws, which is up before any of them), so all six start at once and keep both cores busy; callers retry
 * through their breakers if a peer is a moment late. Stopping goes in reverse: the gateway first.
 */
const WAVES: ServiceName[][] = [['gateway', 'order', 'user', 'inventory', 'payment', 'shipping']];

export interface SystemOptions {
  repoRoot: string;
  /**
   * `fixed` (default): the documented ports 3000–3005 and 4566. `dynamic`: free ports chosen by the OS, so tests
   * and benchmarks can run while a demo (or another test) is up. `{ base }` (`pnpm demo --port-base N`): every port
   * derived from N (see `portsFromBase`), so a second checkout runs beside the first.
   */
  ports?: 'fixed' | 'dynamic' | { base: number };
  /** Where databases and logs go; default `<repoRoot>/.data`. */
  dataDir?: string;
  /** Node's flags for each service process; default `LOCAL_NODE_FLAGS` (small heap and code, for a laptop). */
  nodeFlags?: readonly string[];
  /** Default `embedded`, falling back to `pglite` (with a progress line saying why) where no binary is installed. */
  database?: DatabaseEngine;
  /**
   * Extra environment per service, on top of the demo's (e.g. a higher rate limit). A `DATABASE_URL` here wins over
   * the chosen engine; the embedded server is only started when some service has none.
   */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Keep `.data/` from the previous run (databases, logs) instead of starting fresh. */
  keepData: boolean;
  /**
   * How long each service may take to become ready. Default: `DEMO_STARTUP_TIMEOUT_MS`, else 60 s. Five PGlite
   * services starting at once on a loaded two-core machine can need several times that.
   */
  startupTimeoutMs?: number;
  /**
   * Progress callback: one call per state change (`postgres` too, when embedded), and one per start-up phase a service
   * reports in its log.
   */
  onProgress(service: string, state: 'starting' | StartupPhase | 'failed', detail?: string): void;
}

/** A start-up limit as given on the command line or in `DEMO_STARTUP_TIMEOUT_MS`; 60 s when not given. */
export function parseStartupTimeoutMs(value: string | undefined, source = 'DEMO_STARTUP_TIMEOUT_MS'): number {
  if (value === undefined || value === '') return 60_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error(`${source}=${JSON.stringify(value)}: expected a positive integer (milliseconds)`);
  }
  return ms;
}

export interface RunningSystem {
  readonly ports: Record<ServiceName, number>;
  /** Where the console should listen: 3006, derived from --port-base, or 0 (a free port) with dynamic ports. */
  readonly consolePort: number;
  /** `system.json` in the data dir: every URL and PID, written once the system is ready. */
  readonly dataDir: string;
  readonly gatewayUrl: string;
  readonly localAwsUrl: string;
  readonly collector: TraceCollector;
  readonly aws: AwsClients;
  readonly jwtSecret: string;
  /** `Authorization` for service-only routes (`/admin/faults`, `/operator/*`): a service token signed with the run's secret. */
  serviceAuth(subject?: string): Record<string, string>;
  /** Where each process's output goes (`<name>.log`, `postgres.log`). */
  readonly logDir: string;
  /** The engine the services' databases run on (`pglite` also when `embedded` was asked for but has no binary here). */
  readonly database: DatabaseEngine;
  /** The embedded server's postmaster PID, when it runs. */
  readonly postgresPid?: number;
  service(name: ServiceName): ServiceProcess;
  stop(): Promise<void>;
}

/** A service did not become ready. The message carries its last log lines, so a failing test shows why. */
export class StartupError extends Error {
  constructor(
    readonly service: string,
    readonly reason: string,
    readonly lastLines: string[],
  ) {
    super(`${service}: ${reason}; its last log lines:\n${lastLines.map((line) => `  | ${line}`).join('\n')}`);
  }
}

async function portLayout(
  choice: NonNullable<SystemOptions['ports']>,
  names: ServiceName[],
): Promise<{ services: Record<ServiceName, number>; console: number; gatewayMetrics: number; localAws: number }> {
  if (choice === 'fixed')
    return { services: PORTS, console: 3006, gatewayMetrics: GATEWAY_METRICS_PORT, localAws: LOCAL_AWS_PORT };
  if (choice === 'dynamic') {
    const free = await freePorts(names.length);
    const services = Object.fromEntries(names.map((name, i) => [name, free[i]!])) as Record<ServiceName, number>;
    return { services, console: 0, gatewayMetrics: 0, localAws: 0 };
  }
  return portsFromBase(choice.base);
}

function environmentFor(
  name: ServiceName,
  ports: Record<ServiceName, number>,
  shared: Record<string, string>,
  dataDir: string,
  gatewayMetricsPort: number,
): Record<string, string> {
  const url = (service: ServiceName) => `http://127.0.0.1:${ports[service]}`;
  const own: Record<ServiceName, Record<string, string>> = {
    user: DEMO_SETTINGS.user,
    inventory: DEMO_SETTINGS.inventory,
    payment: DEMO_SETTINGS.payment,
    shipping: DEMO_SETTINGS.shipping,
    order: {
      ...DEMO_SETTINGS.order,
      INVENTORY_URL: url('inventory'),
      PAYMENT_URL: url('payment'),
      SHIPPING_URL: url('shipping'),
    },
    gateway: {
      ...DEMO_SETTINGS.gateway,
      USER_SERVICE_URL: url('user'),
      ORDER_SERVICE_URL: url('order'),
      INVENTORY_SERVICE_URL: url('inventory'),
      // The internal /metrics listener: 9464 for the demo, derived from --port-base, and with dynamic ports 0 (a free
      // one), so a test system beside a running demo (or another test's gateway) does not collide on it.
      METRICS_PORT: String(gatewayMetricsPort),
    },
  };
  return { ...shared, DATA_DIR: join(dataDir, name), OTEL_SERVICE_NAME: `${name}-service`, ...own[name] };
}

function isDatabaseService(name: ServiceName): name is (typeof DATABASE_SERVICES)[number] {
  return (DATABASE_SERVICES as readonly ServiceName[]).includes(name);
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const dataDir = options.dataDir ?? join(options.repoRoot, '.data');
  if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const names = Object.keys(PORTS) as ServiceName[];
  const layout = await portLayout(options.ports ?? 'fixed', names);
  const startupLimitMs = options.startupTimeoutMs ?? parseStartupTimeoutMs(process.env.DEMO_STARTUP_TIMEOUT_MS);

  const postgres = await startDatabaseServer(options, dataDir, logDir, startupLimitMs);
  try {
    return await startOnDatabases(options, { dataDir, logDir, names, layout, startupLimitMs, postgres });
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}

/** The embedded server, unless PGlite was chosen, every service was given a URL, or there is no binary here. */
async function startDatabaseServer(
  options: SystemOptions,
  dataDir: string,
  logDir: string,
  startupLimitMs: number,
): Promise<EmbeddedPostgres | undefined> {
  const needed = DATABASE_SERVICES.filter((name) => !options.extraEnv?.[name]?.DATABASE_URL);
  if ((options.database ?? 'embedded') !== 'embedded' || needed.length === 0) return undefined;
  options.onProgress('postgres', 'starting');
  const startedAt = Date.now();
  try {
    const server = await startEmbeddedPostgres({
      // Under the system's data dir, so --keep-data keeps it and a fresh run initialises a new cluster.
      dataDir: join(dataDir, 'postgres'),
      databases: needed,
      logFile: join(logDir, 'postgres.log'),
      startupTimeoutMs: startupLimitMs,
    });
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    options.onProgress('postgres', 'ready', `${needed.join(', ')} databases on ${server.socketDir} in ${seconds} s`);
    return server;
  } catch (error) {
    if (!(error instanceof EmbeddedPostgresUnavailable)) {
      options.onProgress('postgres', 'failed', (error as Error).message);
      throw error;
    }
    options.onProgress('postgres', 'ready', `${error.message}: each service runs its own PGlite instead`);
    return undefined;
  }
}

interface StartContext {
  dataDir: string;
  logDir: string;
  names: ServiceName[];
  layout: Awaited<ReturnType<typeof portLayout>>;
  startupLimitMs: number;
  postgres: EmbeddedPostgres | undefined;
}

async function startOnDatabases(options: SystemOptions, context: StartContext): Promise<RunningSystem> {
  const { dataDir, logDir, names, layout, startupLimitMs, postgres } = context;
  const ports = layout.services;
  options.onProgress('local-aws', 'starting');
  // local-aws keeps its topology and the messages in flight in the data dir, like the services keep their
  // databases: with --keep-data a restart finds both again (provisioning then only checks it is up to date).
  const localAws = await startLocalAws({
    port: layout.localAws,
    stateFile: join(dataDir, 'local-aws.json'),
  });
  const aws = createAwsClients({ endpoint: localAws.endpoint, region: 'us-east-1' });
  const { changes } = await provisionTopology(aws);
  const topology = changes.length > 0 ? 'topics, queues and DLQs provisioned' : 'topology restored from the data dir';
  options.onProgress('local-aws', 'ready', `${localAws.endpoint} (${topology})`);
  const collector = await startTraceCollector({ port: 0 });

  const jwtSecret = randomBytes(32).toString('hex'); // fresh per run: nothing secret is stored in the repo
  const shared = {
    ...localServiceSettings(localAws.endpoint, jwtSecret),
    OTEL_TRACES_EXPORTER: 'collector',
    TRACE_COLLECTOR_URL: collector.url,
  };
  const processes = new Map<ServiceName, ServiceProcess>();
  for (const name of names) {
    const database: Record<string, string> =
      postgres && isDatabaseService(name) ? { DATABASE_URL: postgres.url(name) } : {};
    const env = {
      ...environmentFor(name, ports, shared, dataDir, layout.gatewayMetrics),
      ...database,
      ...options.extraEnv?.[name],
    };
    const service = new ServiceProcess({
      name: `${name}-service`,
      main: join(options.repoRoot, 'services', name, 'dist', 'main.js'),
      nodeFlags: options.nodeFlags ?? LOCAL_NODE_FLAGS,
      cwd: options.repoRoot,
      env: { ...env, PORT: String(ports[name]) },
      // Its own database (the embedded server's, PGlite, or `extraEnv`'s) and an in-memory rate limit: CI's REDIS_URL would make every test
      // system on the machine share one per-IP sign-in budget (10 a minute), and suites running side by side got 429s.
      withoutInherited: ['DATABASE_URL', 'REDIS_URL'],
      logFile: join(logDir, `${name}.log`),
      // Readiness is decided below, by /health/ready; the log's `ready` line is reported with it.
      onPhase: (phase, detail) => phase !== 'ready' && options.onProgress(`${name}-service`, phase, detail),
    });
    processes.set(name, service);
  }

  async function stop(): Promise<void> {
    for (const wave of [...WAVES].reverse()) await Promise.all(wave.map((name) => processes.get(name)!.close()));
    destroyAwsClients(aws);
    await collector.close();
    await localAws.close();
    await postgres?.stop(); // after the services, so none of them sees its database go away while draining
  }

  try {
    for (const wave of WAVES) {
      await Promise.all(
        wave.map(async (name) => {
          const service = processes.get(name)!;
          const startedAt = Date.now();
          options.onProgress(`${name}-service`, 'starting');
          service.start();
          try {
            await service.waitUntilReady(startupLimitMs);
          } catch (error) {
            options.onProgress(`${name}-service`, 'failed', (error as Error).message);
            throw new StartupError(`${name}-service`, (error as Error).message, service.lastLines());
          }
          options.onProgress(
            `${name}-service`,
            'ready',
            `${service.baseUrl} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
          );
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  // What is running where, for whoever shares the machine (a second checkout, a test, a person with `kill`).
  await writeFile(
    join(dataDir, 'system.json'),
    `${JSON.stringify(
      {
        startedAt: new Date().toISOString(),
        demoPid: process.pid,
        dataDir,
        localAws: { url: localAws.endpoint, pid: process.pid },
        postgres: postgres ? { socketDir: postgres.socketDir, pid: postgres.pid } : undefined,
        traceCollector: { url: collector.url, pid: process.pid },
        gatewayMetricsPort: layout.gatewayMetrics || undefined,
        services: Object.fromEntries(
          names.map((name) => [name, { url: processes.get(name)!.baseUrl, pid: processes.get(name)!.child.pid }]),
        ),
      },
      null,
      2,
    )}\n`,
  );

  return {
    ports,
    consolePort: layout.console,
    gatewayUrl: processes.get('gateway')!.baseUrl,
    localAwsUrl: localAws.endpoint,
    collector,
    aws,
    jwtSecret,
    serviceAuth: (subject = 'demo') => bearer(jwtSecret, { sub: subject, role: 'service' }),
    logDir,
    dataDir,
    database: postgres ? 'embedded' : 'pglite',
    ...(postgres ? { postgresPid: postgres.pid } : {}),
    service: (name) => processes.get(name)!,
    stop,
  };
}
