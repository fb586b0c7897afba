/**
 * The process side of a service (fastify/demo's server.ts): load config, build the app, listen, and shut down
 * gracefully. On SIGTERM/SIGINT Fastify stops accepting connections and answers the requests in flight, then the
 * service's resources close in reverse order of creation; the process exits 0, or 1 if draining overruns the grace period.
 */
import closeWithGrace from 'close-with-grace';
import pino, { type Logger } from 'pino';
import type { Static, TObject } from '@sinclair/typebox';
import { shutdownTelemetry } from '@shop/telemetry';
import { ConfigError, loadConfig } from './config';
import type { ServiceApp } from './create-app';
import { loggerOptions } from './logger';

/** Something to close on shutdown: a database, a consumer, a relay… */
export interface Closeable {
  close(): Promise<void> | void;
}

export interface StartedService {
  app: ServiceApp;
  /** Closed after the HTTP server has drained, last created first. */
  resources?: Closeable[];
  /** Runs once the server listens (e.g. start consumers, relays, workers). */
  onListening?: () => Promise<void> | void;
}

export interface RunServiceOptions<S extends TObject> {
  name: string;
  configSchema: S;
  start(context: { config: Static<S>; logger: Logger }): Promise<StartedService>;
}

type BaseConfig = { PORT: number; HOST: string; LOG_LEVEL: string; SHUTDOWN_GRACE_MS: number };

export async function runService<S extends TObject>(options: RunServiceOptions<S>): Promise<void> {
  let config: Static<S> & BaseConfig;
  try {
    config = loadConfig(options.configSchema) as Static<S> & BaseConfig;
  } catch (error) {
    if (error instanceof ConfigError) {
      // One clear line, no stack trace: the operator's mistake, not a bug.
      process.stderr.write(`${options.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = pino(loggerOptions(options.name, config.LOG_LEVEL));
  const started = await options.start({ config, logger });
  const resources = started.resources ?? [];

  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down: draining in-flight requests');
    await started.app.close();
    for (const resource of [...resources].reverse()) await resource.close();
    await shutdownTelemetry(); // last: spans from the shutdown itself are exported too
    logger.info('shutdown complete');
  });

  await started.app.listen({ port: config.PORT, host: config.HOST });
  await started.onListening?.();
}
