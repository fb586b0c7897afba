/**
 * The whole life of a service process, declared as a list (eShop's Program.cs; fastify/demo's server.ts):
 *
 *   config → database (one migration list, one transaction) → messaging (its relay's `wake`) → buildApp → metrics
 *   → listen → messaging.start(handlers) → workers
 *
 * and on SIGTERM/SIGINT the reverse: Fastify stops accepting connections and answers the requests in flight, then
 * workers stop, then whatever buildApp registered, then messaging (consumer, relay), then the database, then
 * telemetry. The process exits 0, or 1 if draining overruns SHUTDOWN_GRACE_MS.
 *
 * Each step is logged with a `phase` field (`migrations`, `listening`, `ready`) so a supervisor such as the demo
 * can show how far a slow start has come.
 */
import closeWithGrace from 'close-with-grace';
import pino, { type Logger } from 'pino';
import type { Static, TObject } from '@sinclair/typebox';
import { openDatabase, runMigrations, type Database, type MigrationSource } from '@shop/db';
import { createServiceMessaging, type EventHandlers } from '@shop/messaging';
import { shutdownTelemetry } from '@shop/telemetry';
import type { AuthenticationOptions } from './authentication';
import {
  ConfigError,
  loadConfig,
  type baseConfigProperties,
  type databaseConfig,
  type messagingConfig,
} from './config';
import type { ServiceApp } from './create-app';
import { loggerOptions } from './logger';

/** Something to close on shutdown: a Redis client, a set of AWS clients… */
export interface Closeable {
  close(): Promise<void> | void;
}

/** A background part of the service (saga worker, dispatcher, pruning job): started after listen, stopped first. */
export interface Worker {
  start(): Promise<void> | void;
  /** Stops taking new work and resolves once the work in progress is finished. */
  stop(): Promise<void> | void;
}

type BaseConfig = Static<TObject<typeof baseConfigProperties>> & { PORT: number };
type DataConfig = BaseConfig &
  Static<TObject<ReturnType<typeof databaseConfig>>> &
  Static<TObject<typeof messagingConfig>>;

/** What every service's app is built with. */
export interface AppDeps {
  logger: Logger;
  /** JWT verification with JWT_SECRET: on in every service process. */
  authentication: AuthenticationOptions;
  /** FAULT_INJECTION=on. */
  faultInjection: boolean;
}

/** What the app of a service with a database and messaging is built with on top. */
export interface DataAppDeps extends AppDeps {
  db: Database;
  /** The outbox relay's `wake`: call after a transaction that wrote events has committed, to publish them now. */
  onEventsCommitted: () => void;
}

/** What buildApp and workers get: the validated config, the shared deps, and a way to close what they open. */
export interface ServiceContext<C, D extends AppDeps = AppDeps> {
  config: C;
  deps: D;
  /** Closes something opened for the app (the gateway's Redis client) on shutdown, after the workers. */
  closeOnShutdown(resource: Closeable): void;
}

interface Definition<S extends TObject, D extends AppDeps, App extends ServiceApp> {
  /** e.g. `order-service`: in logs, traces and metrics. */
  name: string;
  /** The environment the service reads, validated before anything starts (`serviceConfigSchema`). */
  config: S;
  buildApp(context: ServiceContext<Static<S>, D>): Promise<App>;
  /** Started once the server listens, in order; stopped in reverse before anything else closes. */
  workers?: (app: App, context: ServiceContext<Static<S>, D>) => Worker[];
}

/** A service without a database of its own (the gateway). */
export type StatelessServiceDefinition<S extends TObject, App extends ServiceApp> = Definition<S, AppDeps, App>;

/**
 * A service with its own database and its place in the messaging topology. Its config must include
 * `databaseConfig(...)` and `messagingConfig`, which runService reads to open both.
 */
export interface DataServiceDefinition<S extends TObject, App extends ServiceApp> extends Definition<
  S,
  DataAppDeps,
  App
> {
  database: {
    /** Every migration directory of the database, in order; applied in one transaction at start-up. */
    migrations: readonly (string | MigrationSource)[];
    /** Runs after the migrations, before the app is built (e.g. the demo catalogue). */
    seed?: (context: { db: Database; config: Static<S>; logger: Logger }) => Promise<void>;
  };
  messaging: {
    /** The service's name in the topology: what it publishes (its topic) and consumes (its queue) is listed there. */
    service: string;
    /** The consumer's handlers, built from the app (they usually call its commands). */
    handlers?: (app: App) => EventHandlers;
  };
}

export function runService<S extends TObject, App extends ServiceApp>(
  definition: DataServiceDefinition<S, App>,
): Promise<void>;
export function runService<S extends TObject, App extends ServiceApp>(
  definition: StatelessServiceDefinition<S, App>,
): Promise<void>;
export async function runService(
  definition: DataServiceDefinition<TObject, ServiceApp> | StatelessServiceDefinition<TObject, ServiceApp>,
): Promise<void> {
  const config = configOrExit(definition.name, definition.config) as BaseConfig;
  const logger = pino(loggerOptions(definition.name, config.LOG_LEVEL));
  // Closed last first: whatever was opened later may still use what was opened before it.
  const opened: Closeable[] = [];
  const closeOnShutdown = (resource: Closeable): void => void opened.push(resource);
  const deps: AppDeps = {
    logger,
    authentication: { secret: config.JWT_SECRET },
    faultInjection: config.FAULT_INJECTION === 'on',
  };

  let app: ServiceApp;
  let startMessaging: (() => void) | undefined;
  let workers: Worker[];
  if ('database' in definition) {
    requireProperties(definition.config, ['DATA_DIR', 'AWS_REGION']);
    const dataConfig = config as DataConfig;
    // Logged before the slowest step of a cold start (PGlite's first open), so a stuck start shows where it is.
    logger.info({ engine: dataConfig.DATABASE_URL ? 'postgres' : 'pglite' }, 'opening the database');
    const db = await openDatabase({ url: dataConfig.DATABASE_URL, dataDir: dataConfig.DATA_DIR });
    opened.push(db);
    const { applied } = await runMigrations(db, [...definition.database.migrations]);
    logger.info({ phase: 'migrations', engine: db.engine, applied }, 'database migrated');
    await definition.database.seed?.({ db, config: dataConfig, logger });

    const messaging = createServiceMessaging({
      service: definition.messaging.service,
      db,
      logger,
      endpoint: dataConfig.AWS_ENDPOINT_URL,
      region: dataConfig.AWS_REGION,
    });
    opened.push(messaging);
    const context = { config: dataConfig, deps: { ...deps, db, onEventsCommitted: messaging.wake }, closeOnShutdown };
    const built = await definition.buildApp(context);
    app = built;
    messaging.reportMetrics(app.metrics);
    startMessaging = () => messaging.start(definition.messaging.handlers?.(built));
    workers = definition.workers?.(built, context) ?? [];
  } else {
    const context = { config, deps, closeOnShutdown };
    const built = await definition.buildApp(context);
    app = built;
    workers = definition.workers?.(built, context) ?? [];
  }
  opened.push(...workers.map((worker) => ({ close: () => worker.stop() })));

  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down: draining in-flight requests');
    await app.close();
    for (const resource of [...opened].reverse()) await resource.close();
    await shutdownTelemetry(); // last: spans from the shutdown itself are exported too
    logger.info('shutdown complete');
  });

  const url = await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ phase: 'listening', url }, 'listening');
  startMessaging?.();
  for (const worker of workers) await worker.start();
  logger.info({ phase: 'ready' }, 'started: messaging and workers running');
}

/** The validated config, or one clear line on stderr and exit 1: a bad value is the operator's mistake, not a bug. */
function configOrExit(name: string, schema: TObject): unknown {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }
}

/** A programming mistake, caught before anything opens: the database and messaging are configured from these. */
function requireProperties(schema: TObject, names: string[]): void {
  const missing = names.filter((name) => !(name in schema.properties));
  if (missing.length > 0) {
    throw new Error(`config lacks ${missing.join(', ')}: spread databaseConfig(...) and messagingConfig into it`);
  }
}
