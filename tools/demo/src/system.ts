/**
 * The whole system on one machine, no Docker: local-aws (SNS+SQS) and a trace collector in this process, the
 * topology provisioned, then the six services as separate processes, each started once what it needs is ready.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startLocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, provisionTopology, type AwsClients } from '@shop/messaging';
import { startTraceCollector, type TraceCollector } from '@shop/telemetry';
import { ServiceProcess } from './service-process';

export type ServiceName = 'user' | 'inventory' | 'payment' | 'shipping' | 'order' | 'gateway';

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
   * and benchmarks can run while a demo (or another test) is up.
   */
  ports?: 'fixed' | 'dynamic';
  /** Where databases and logs go; default `<repoRoot>/.data`. */
  dataDir?: string;
  /** Extra environment per service, on top of the demo's (e.g. `DATABASE_URL`, a higher rate limit). */
  extraEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Keep `.data/` from the previous run (databases, logs) instead of starting fresh. */
  keepData: boolean;
  /** Progress callback: one call per state change. */
  onProgress(service: string, state: 'starting' | 'ready' | 'failed', detail?: string): void;
}

export interface RunningSystem {
  readonly ports: Record<ServiceName, number>;
  readonly gatewayUrl: string;
  readonly localAwsUrl: string;
  readonly collector: TraceCollector;
  readonly aws: AwsClients;
  readonly jwtSecret: string;
  /** Where each process's output goes (`<name>.log`). */
  readonly logDir: string;
  service(name: ServiceName): ServiceProcess;
  stop(): Promise<void>;
}

export class StartupError extends Error {
  constructor(
    readonly service: string,
    message: string,
    readonly lastLines: string[],
  ) {
    super(message);
  }
}

/** Free ports from the OS: listen on port 0, note the port, release it (a service binds it a moment later). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function environmentFor(
  name: ServiceName,
  ports: Record<ServiceName, number>,
  shared: Record<string, string>,
  dataDir: string,
  dynamicPorts: boolean,
): Record<string, string> {
  const url = (service: ServiceName) => `http://127.0.0.1:${ports[service]}`;
  const own: Record<ServiceName, Record<string, string>> = {
    user: {},
    inventory: { SEED_CATALOGUE: 'on' },
    payment: {},
    // Short delays so the demo shows DISPATCHED and DELIVERED within seconds.
    shipping: { DISPATCH_DELAY_MS: '800', DELIVERY_DELAY_MS: '1200', DISPATCHER_POLL_MS: '100' },
    order: {
      INVENTORY_URL: url('inventory'),
      PAYMENT_URL: url('payment'),
      SHIPPING_URL: url('shipping'),
      PARTICIPANT_TIMEOUT_MS: '1000',
      SAGA_POLL_MS: '200',
      // A crashed order process's sagas are picked up again this long after their step timeout.
      SAGA_LEASE_MS: '2000',
      // A step attempt (three 1 s calls and their backoff) fits in 4 s; a crashed attempt is resumed after 4 + 2 s.
      SAGA_STEP_TIMEOUT_MS: '4000',
      // Quick retries and a short open breaker, so scenario 4 shows failing fast and recovering within seconds.
      SAGA_RETRY_INITIAL_MS: '200',
      SAGA_RETRY_MAX_MS: '2000',
      BREAKER_OPEN_MS: '3000',
    },
    gateway: {
      USER_SERVICE_URL: url('user'),
      ORDER_SERVICE_URL: url('order'),
      INVENTORY_SERVICE_URL: url('inventory'),
      UPSTREAM_TIMEOUT_MS: '5000',
      // The scenarios poll order status like an impatient client; scenario 5 still shows the limit being hit.
      RATE_LIMIT_MAX: '600',
      // The internal /metrics listener: its documented port for the demo; with dynamic ports a free one, so a test
      // system beside a running demo (or another test's gateway) does not collide on 9464.
      ...(dynamicPorts ? { METRICS_PORT: '0' } : {}),
    },
  };
  return { ...shared, DATA_DIR: join(dataDir, name), OTEL_SERVICE_NAME: `${name}-service`, ...own[name] };
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const dataDir = options.dataDir ?? join(options.repoRoot, '.data');
  if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
  const logDir = join(dataDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const names = Object.keys(PORTS) as ServiceName[];
  const dynamic = options.ports === 'dynamic' ? await freePorts(names.length) : undefined;
  const ports = Object.fromEntries(names.map((name, i) => [name, dynamic ? dynamic[i]! : PORTS[name]])) as Record<
    ServiceName,
    number
  >;

  options.onProgress('local-aws', 'starting');
  // local-aws keeps its topology and the messages in flight in the data dir, like the services keep their
  // databases: with --keep-data a restart finds both again (provisioning then only checks it is up to date).
  const localAws = await startLocalAws({
    port: dynamic ? 0 : LOCAL_AWS_PORT,
    stateFile: join(dataDir, 'local-aws.json'),
  });
  const aws = createAwsClients({ endpoint: localAws.endpoint, region: 'us-east-1' });
  const { changes } = await provisionTopology(aws);
  const topology = changes.length > 0 ? 'topics, queues and DLQs provisioned' : 'topology restored from the data dir';
  options.onProgress('local-aws', 'ready', `${localAws.endpoint} (${topology})`);
  const collector = await startTraceCollector({ port: 0 });

  const jwtSecret = randomBytes(32).toString('hex'); // fresh per run: nothing secret is stored in the repo
  const shared = {
    HOST: '127.0.0.1',
    AWS_ENDPOINT_URL: localAws.endpoint,
    AWS_REGION: 'us-east-1',
    JWT_SECRET: jwtSecret,
    FAULT_INJECTION: 'on',
    LOG_LEVEL: 'info',
    OTEL_TRACES_EXPORTER: 'collector',
    TRACE_COLLECTOR_URL: collector.url,
  };
  const processes = new Map<ServiceName, ServiceProcess>();
  for (const name of names) {
    const env = { ...environmentFor(name, ports, shared, dataDir, dynamic !== undefined), ...options.extraEnv?.[name] };
    processes.set(name, new ServiceProcess({ name, port: ports[name], env }, options.repoRoot, logDir));
  }

  async function stop(): Promise<void> {
    for (const wave of [...WAVES].reverse()) await Promise.all(wave.map((name) => processes.get(name)!.close()));
    destroyAwsClients(aws);
    await collector.close();
    await localAws.close();
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
            await service.waitUntilReady();
          } catch (error) {
            options.onProgress(`${name}-service`, 'failed', (error as Error).message);
            throw new StartupError(`${name}-service`, (error as Error).message, service.lastLines());
          }
          options.onProgress(
            `${name}-service`,
            'ready',
            `${service.url} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
          );
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    ports,
    gatewayUrl: processes.get('gateway')!.url,
    localAwsUrl: localAws.endpoint,
    collector,
    aws,
    jwtSecret,
    logDir,
    service: (name) => processes.get(name)!,
    stop,
  };
}
