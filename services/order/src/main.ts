/** Process entry of the order service. */
import './instrument'; // first: tracing must patch modules before they load
import { systemTopology } from '@shop/contracts';
import { openDatabase, runMigrations } from '@shop/db';
import { createServiceMessaging, provisionTopology } from '@shop/messaging';
import { exponentialBackoff } from '@shop/resilience';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { OrderServiceConfig } from './config';
import { orderEventHandlers } from './events/order-event-handlers';
import { migrationDirs } from './migrations';

void runService({
  name: 'order-service',
  configSchema: OrderServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const migrated = await runMigrations(db, migrationDirs);
    logger.info({ engine: db.engine, applied: migrated.applied }, 'database ready');

    const faultInjection = config.FAULT_INJECTION === 'on';
    const stepBackoff = exponentialBackoff({ initialMs: config.SAGA_RETRY_INITIAL_MS, maxMs: config.SAGA_RETRY_MAX_MS });
    const app = await buildApp({
      db,
      logger,
      authentication: { secret: config.JWT_SECRET },
      faultInjection,
      participants: {
        inventoryUrl: config.INVENTORY_URL,
        paymentUrl: config.PAYMENT_URL,
        shippingUrl: config.SHIPPING_URL,
        timeoutMs: config.PARTICIPANT_TIMEOUT_MS,
        breaker: { minimumCalls: config.BREAKER_MINIMUM_CALLS, openDurationMs: config.BREAKER_OPEN_MS },
      },
      saga: {
        pollIntervalMs: config.SAGA_POLL_MS,
        leaseMs: config.SAGA_LEASE_MS,
        policies: {
          invoke: { timeoutMs: config.SAGA_STEP_TIMEOUT_MS, backoff: stepBackoff },
          compensate: { timeoutMs: config.SAGA_STEP_TIMEOUT_MS, backoff: stepBackoff },
        },
        ...(faultInjection && config.SAGA_CRASH_AT ? { crashAt: config.SAGA_CRASH_AT } : {}),
      },
      // `messaging` is created just below (its consumer needs the app's commands); requests only come after listen.
      onEventsCommitted: () => messaging.wake(),
    });
    const messaging = createServiceMessaging({
      service: 'order',
      db,
      logger,
      endpoint: config.AWS_ENDPOINT_URL,
      region: config.AWS_REGION,
      handlers: orderEventHandlers(app.orders),
    });
    messaging.reportMetrics(app.metrics);
    // Idempotent: creates only what is missing (our queue and its subscriptions to user and shipping events).
    if (config.PROVISION_TOPOLOGY === 'on') await provisionTopology(messaging.aws, systemTopology);

    return {
      app,
      // Closed last first: stop taking saga steps, then messaging (consumer, relay), then the database.
      resources: [db, messaging, { close: () => app.sagas.stop() }],
      onListening: () => {
        messaging.start();
        // The first pass resumes whatever a crash left behind.
        app.sagas.startWorker();
      },
    };
  },
});
