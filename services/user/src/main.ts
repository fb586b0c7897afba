/** Process entry of the user service. */
import './instrument'; // first: tracing must patch modules before they load
import { openDatabase, runMigrations } from '@shop/db';
import { createServiceMessaging } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { UserServiceConfig } from './config';
import { OWASP_SCRYPT_COST } from './domain/password';
import { migrations } from './migrations';
import { orderHistoryHandlers } from './order-history/order-history';

void runService({
  name: 'user-service',
  configSchema: UserServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const migrated = await runMigrations(db, migrations);
    logger.info({ engine: db.engine, applied: migrated.applied }, 'database ready');

    const messaging = createServiceMessaging({
      service: 'user',
      db,
      logger,
      endpoint: config.AWS_ENDPOINT_URL,
      region: config.AWS_REGION,
      handlers: orderHistoryHandlers,
    });
    const app = await buildApp({
      db,
      logger,
      authentication: { secret: config.JWT_SECRET },
      faultInjection: config.FAULT_INJECTION === 'on',
      onEventsCommitted: messaging.wake,
      passwordCost: { ...OWASP_SCRYPT_COST, N: 2 ** config.PASSWORD_SCRYPT_LOG2_N },
    });
    messaging.reportMetrics(app.metrics);
    return { app, resources: [db, messaging], onListening: messaging.start };
  },
});
