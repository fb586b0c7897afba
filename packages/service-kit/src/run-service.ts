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
import pino from 'pino';
import type { TObject } from '@sinclair/typebox';
import { openDatabase, runMigrations } from '@shop/db';
import { createServiceMessaging } from '@shop/messaging';
import { databaseMetrics, shutdownTelemetry } from '@shop/telemetry';
import { ConfigError, loadConfig } from './config';
import type { ServiceApp } from './create-app';
import { loggerOptions } from './logger';
import type {
  AppDeps,
  BaseConfig,
  Closeable,
  DataConfig,
  DataServiceDefinition,
  StatelessServiceDefinition,
  Worker,
} from './service-definition';

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

  const started =
    'database' in definition
      ? await startDataService(definition, config as DataConfig, deps, closeOnShutdown)
      : await startStatelessService(definition, config, deps, closeOnShutdown);
  const { app, workers } = started;
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
  started.startMessaging?.();
  for (const worker of workers) await worker.start();
  logger.info({ phase: 'ready' }, 'started: messaging and workers running');
}

interface Started {
  app: ServiceApp;
  workers: Worker[];
  /** Starts the relay and the consumer with its handlers, which may only exist once the app does. */
  startMessaging?: () => void;
}

/** Database (migrated, seeded) → messaging → app: each step has what it needs from the one before. */
async function startDataService(
  definition: DataServiceDefinition<TObject, ServiceApp>,
  config: DataConfig,
  deps: AppDeps,
  closeOnShutdown: (resource: Closeable) => void,
): Promise<Started> {
  const { logger } = deps;
  // Logged before the slowest step of a cold start (PGlite's first open), so a stuck start shows where it is.
  logger.info({ engine: config.DATABASE_URL ? 'postgres' : 'pglite' }, 'opening the database');
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  closeOnShutdown(db);
  const { applied } = await runMigrations(db, [...definition.database.migrations]);
  logger.info({ phase: 'migrations', engine: db.engine, applied }, 'database migrated');
  await definition.database.seed?.({ db, config, logger });

  const messaging = createServiceMessaging({
    service: definition.messaging.service,
    db,
    logger,
    endpoint: config.AWS_ENDPOINT_URL,
    region: config.AWS_REGION,
  });
  closeOnShutdown(messaging);
  const context = { config, deps: { ...deps, db, onEventsCommitted: messaging.wake }, closeOnShutdown };
  const app = await definition.buildApp(context);
  messaging.reportMetrics(app.metrics);
  databaseMetrics(app.metrics, () => db.counters());
  return {
    app,
    workers: definition.workers?.(app, context) ?? [],
    startMessaging: () => messaging.start(definition.messaging.handlers?.(app)),
  };
}

async function startStatelessService(
  definition: StatelessServiceDefinition<TObject, ServiceApp>,
  config: BaseConfig,
  deps: AppDeps,
  closeOnShutdown: (resource: Closeable) => void,
): Promise<Started> {
  const context = { config, deps, closeOnShutdown };
  const app = await definition.buildApp(context);
  return { app, workers: definition.workers?.(app, context) ?? [] };
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
