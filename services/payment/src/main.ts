/** Process entry of the payment service. */
import './instrument'; // first: tracing must patch modules before they load
import { createRetentionJob, openDatabase, runMigrations } from '@shop/db';
import { createServiceMessaging, messagingMigrationsDir } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { retentionMetrics } from '@shop/telemetry';
import { buildApp } from './app';
import { PaymentServiceConfig } from './config';
import { idempotencyKeyRetention } from './idempotency/idempotency-keys';
import { migrationsDir } from './migrations';

void runService({
  name: 'payment-service',
  configSchema: PaymentServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const migrated = await runMigrations(db, [migrationsDir, messagingMigrationsDir]);
    logger.info({ engine: db.engine, applied: migrated.applied }, 'database ready');

    const messaging = createServiceMessaging({
      service: 'payment',
      db,
      logger,
      endpoint: config.AWS_ENDPOINT_URL,
      region: config.AWS_REGION,
    });
    const app = await buildApp({
      db,
      logger,
      authentication: { secret: config.JWT_SECRET },
      faultInjection: config.FAULT_INJECTION === 'on',
      onEventsCommitted: messaging.wake,
      idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
    });
    messaging.reportMetrics(app.metrics);
    // One row per charge request: pruned on a schedule, like messaging's outbox and inbox.
    const retention = createRetentionJob({
      db,
      logger,
      rules: [idempotencyKeyRetention(config.IDEMPOTENCY_KEY_RETENTION_MS)],
      onPruned: (table, rows) => pruned.pruned(table, rows),
    });
    const pruned = retentionMetrics(app.metrics, () => retention.rowCounts());
    return {
      app,
      resources: [db, messaging, { close: () => retention.stop() }],
      onListening: () => {
        messaging.start();
        retention.start();
      },
    };
  },
});
