/**
 * The system with two replicas of every service, on one machine: local-aws in this process, one Postgres database
 * per service shared by its two replicas, one Redis shared by the two gateways, and a round-robin load balancer in
 * front of each service's pair (customers call the gateways' balancer, the gateways and the order saga call the
 * others'). Ports come from the OS and stay fixed per replica, so a restarted replica is found where it was.
 *
 * Both replicas of a service start at the same moment on a fresh database: the migration and seeding race two
 * replicas meet on a first deploy is part of what is tested.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SETTINGS, freePorts, localServiceSettings } from '@shop/demo/dist/index';
import { startLocalAws, type LocalAws } from '@shop/local-aws';
import { createAwsClients, destroyAwsClients, provisionTopology, type AwsClients } from '@shop/messaging';
import { bearer, ServiceProcess } from '@shop/testing';
import { createServiceDatabases, REDIS_URL, type ServiceDatabases } from './local-servers';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

export const SERVICES = ['user', 'inventory', 'payment', 'shipping', 'order', 'gateway'] as const;
export type ReplicatedService = (typeof SERVICES)[number];
const WITH_DATABASE = ['user', 'inventory', 'payment', 'shipping', 'order'] as const;
export const REPLICAS = 2;

export interface Replica {
  readonly service: ReplicatedService;
  readonly index: number;
  /** `order#1`: how logs and reports name it. */
  readonly name: string;
  readonly url: string;
  readonly process: ServiceProcess;
}

export interface ReplicaSystem {
  /** Temporary directory with `logs/` (one file per replica). */
  readonly dir: string;
  /** The customers' entry point: the balancer in front of both gateways. */
  readonly gatewayUrl: string;
  readonly localAwsUrl: string;
  readonly aws: AwsClients;
  readonly databaseUrls: Record<string, string>;
  readonly balancers: Record<ReplicatedService, RoundRobinProxy>;
  replicas(service: ReplicatedService): Replica[];
  /** What callers of a service use: its balancer's URL. */
  entry(service: ReplicatedService): string;
  serviceAuth(subject?: string): Record<string, string>;
  /** Which replica each process id was (restarts included): lease owners carry the pid. */
  readonly processNames: ReadonlyMap<number, string>;
  /** Starts a stopped (or killed) replica again on its port and waits until it is ready. */
  restart(replica: Replica): Promise<void>;
  /** Stops every process, balancer and local-aws; the databases stay for the final reading. Idempotent. */
  stopProcesses(): Promise<void>;
  /** Stops what still runs and drops the run's databases. Idempotent. */
  destroy(): Promise<void>;
}

function environmentFor(
  service: ReplicatedService,
  entries: Record<ReplicatedService, string>,
  databases: ServiceDatabases,
): Record<string, string> {
  // The demo's settings (tools/demo/src/demo-settings.ts), so a crashed replica's sagas resume within seconds.
  const own: Record<ReplicatedService, Record<string, string>> = {
    user: DEMO_SETTINGS.user,
    inventory: DEMO_SETTINGS.inventory,
    payment: DEMO_SETTINGS.payment,
    shipping: DEMO_SETTINGS.shipping,
    order: {
      ...DEMO_SETTINGS.order,
      INVENTORY_URL: entries.inventory,
      PAYMENT_URL: entries.payment,
      SHIPPING_URL: entries.shipping,
    },
    gateway: {
      ...DEMO_SETTINGS.gateway,
      USER_SERVICE_URL: entries.user,
      ORDER_SERVICE_URL: entries.order,
      INVENTORY_SERVICE_URL: entries.inventory,
      METRICS_PORT: '0',
      // Both gateways count each customer's requests in the same Redis keys: one limit, however the calls spread.
      REDIS_URL,
      // Sign-ins are counted per IP (all of ours are 127.0.0.1) in that shared Redis, and the count outlives a run:
      // the default 10 a minute would refuse the third run in a row. The suite checks the per-customer limit.
      AUTH_RATE_LIMIT_MAX: '1000',
    },
  };
  const database = databases.urls[service];
  return { ...own[service], ...(database ? { DATABASE_URL: database } : {}) };
}

export async function startReplicaSystem(options: {
  onProgress: (line: string) => void;
  startupTimeoutMs: number;
  /** Settings on top of the suite's, per service (the benchmark lifts the gateways' rate limits out of the way). */
  extraEnv?: Partial<Record<ReplicatedService, Record<string, string>>>;
  /** Aborting stops the start-up at once: whatever was started is stopped and the databases are dropped. */
  signal?: AbortSignal;
}): Promise<ReplicaSystem> {
  const dir = await mkdtemp(join(tmpdir(), 'shop-replicas-'));
  const logDir = join(dir, 'logs');
  await mkdir(logDir);
  const all: Replica[] = [];
  const balancers: Partial<Record<ReplicatedService, RoundRobinProxy>> = {};
  let databases: ServiceDatabases | undefined;
  let localAws: LocalAws | undefined;
  let aws: AwsClients | undefined;
  let stopped = false;
  const jwtSecret = randomBytes(32).toString('hex'); // fresh per run: nothing secret is stored in the repository
  const processNames = new Map<number, string>();
  const startReplica = async (replica: Replica) => {
    replica.process.start();
    processNames.set(replica.process.child.pid!, replica.name);
    await replica.process.waitUntilReady(options.startupTimeoutMs);
  };

  const stopProcesses = async () => {
    if (stopped) return;
    stopped = true;
    // Gateways first (no new work comes in), then the rest together.
    await Promise.all(all.filter((r) => r.service === 'gateway').map((r) => r.process.close()));
    await Promise.all(all.filter((r) => r.service !== 'gateway').map((r) => r.process.close()));
    await Promise.all(Object.values(balancers).map((balancer) => balancer.close()));
    if (aws) destroyAwsClients(aws);
    await localAws?.close();
  };
  const destroy = async () => {
    await stopProcesses();
    await databases?.drop();
  };

  try {
    databases = await createServiceDatabases(WITH_DATABASE);
    localAws = await startLocalAws({ port: 0 });
    aws = createAwsClients({ endpoint: localAws.endpoint, region: 'us-east-1' });
    await provisionTopology(aws);
    options.onProgress(`local-aws ${localAws.endpoint}; databases ${Object.values(databases.urls).length} on Postgres`);

    const ports = await freePorts(SERVICES.length * REPLICAS);
    const portOf = (service: ReplicatedService, index: number) => ports[SERVICES.indexOf(service) * REPLICAS + index]!;
    for (const service of SERVICES) {
      balancers[service] = await startRoundRobinProxy(
        Array.from({ length: REPLICAS }, (_, index) => ({ port: portOf(service, index) })),
      );
    }
    const entries = Object.fromEntries(SERVICES.map((s) => [s, balancers[s]!.url])) as Record<
      ReplicatedService,
      string
    >;
    const shared = { ...localServiceSettings(localAws.endpoint, jwtSecret), OTEL_TRACES_EXPORTER: 'none' };
    for (const service of SERVICES) {
      for (let index = 0; index < REPLICAS; index++) {
        const name = `${service}#${index}`;
        const port = portOf(service, index);
        all.push({
          service,
          index,
          name,
          url: `http://127.0.0.1:${port}`,
          process: new ServiceProcess({
            name,
            main: join(__dirname, '..', '..', '..', '..', 'services', service, 'dist', 'main.js'),
            env: {
              ...shared,
              ...environmentFor(service, entries, databases),
              DATA_DIR: join(dir, name), // unused with DATABASE_URL; never the repository's .data/
              OTEL_SERVICE_NAME: `${service}-service`,
              ...options.extraEnv?.[service],
              PORT: String(port),
            },
            logFile: join(logDir, `${service}-${index}.log`),
          }),
        });
      }
    }

    const startedAt = Date.now();
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new Error('start-up aborted'));
      if (options.signal?.aborted) fail();
      options.signal?.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    const ready = Promise.all(
      all.map(async (replica) => {
        try {
          await startReplica(replica);
        } catch (error) {
          const lines = replica.process.lastLines(15).map((line) => `  | ${line}`);
          throw new Error(`${replica.name}: ${(error as Error).message}\n${lines.join('\n')}`, { cause: error });
        }
      }),
    );
    ready.catch(() => undefined); // an abort wins the race below; the replicas' own failures no longer matter then
    await Promise.race([ready, aborted]);
    options.onProgress(
      `${all.length} processes ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s (both replicas of each service started at once on its fresh database)`,
    );
  } catch (error) {
    await destroy();
    options.onProgress(`start-up failed: every process stopped, databases dropped; logs kept in ${logDir}`);
    throw error;
  }

  return {
    dir,
    gatewayUrl: balancers.gateway!.url,
    localAwsUrl: localAws.endpoint,
    aws,
    databaseUrls: databases.urls,
    balancers: balancers as Record<ReplicatedService, RoundRobinProxy>,
    replicas: (service) => all.filter((replica) => replica.service === service),
    entry: (service) => balancers[service]!.url,
    serviceAuth: (subject = 'replicas') => bearer(jwtSecret, { sub: subject, role: 'service' }),
    processNames,
    restart: startReplica,
    stopProcesses,
    destroy,
  };
}

/** Removes the temporary directory (logs); kept after a failing run so it can be read. */
export const removeRunDirectory = (dir: string) => rm(dir, { recursive: true, force: true });
