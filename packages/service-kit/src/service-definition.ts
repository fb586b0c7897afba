/**
 * What a service declares to `runService`: its config, its database and place in the messaging topology, how its
 * app is built and which workers run beside it — and what the lifecycle hands each of them.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { Database, MigrationSource } from '@shop/db';
import type { EventHandlers } from '@shop/messaging';
import type { AuthenticationOptions } from './authentication';
import type { baseConfigProperties, databaseConfig, messagingConfig } from './config';
import type { ServiceApp } from './create-app';

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

export type BaseConfig = Static<TObject<typeof baseConfigProperties>> & { PORT: number };
export type DataConfig = BaseConfig &
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
  /** Checked when compiled: without `databaseConfig(...)` and `messagingConfig` the database cannot be opened. */
  config: S & (Static<S> extends DataConfig ? unknown : { missing: 'spread databaseConfig() and messagingConfig' });
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
