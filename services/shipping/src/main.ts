/** Process entry of the shipping service. */
import { systemClock } from '@shop/clock';
import './instrument'; // first: tracing must patch modules before they load
import { openDatabase } from '@shop/db';
import { createServiceMessaging } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { ShippingServiceConfig } from './config';
import { Dispatcher } from './dispatcher';
import { migrateShippingDatabase } from './migrations';

void runService({
  name: 'shipping-service',
  configSchema: ShippingServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const applied = await migrateShippingDatabase(db);
    logger.info({ engine: db.engine, applied }, 'database ready');

    const messaging = createServiceMessaging({
      service: 'shipping',
      db,
      logger,
      endpoint: config.AWS_ENDPOINT_URL,
      region: config.AWS_REGION,
    });
    const schedule = { dispatchDelayMs: config.DISPATCH_DELAY_MS, deliveryDelayMs: config.DELIVERY_DELAY_MS };
    // Moves shipments along from the database's `next_transition_at`, so it survives restarts.
    const dispatcher = new Dispatcher({
      db,
      clock: systemClock,
      schedule,
      carrier: config.CARRIER,
      batchSize: config.DISPATCHER_BATCH_SIZE,
      pollIntervalMs: config.DISPATCHER_POLL_MS,
      logger,
      onEventsCommitted: messaging.wake,
    });
    const app = await buildApp({
      db,
      schedule,
      logger,
      authentication: { secret: config.JWT_SECRET },
      faultInjection: config.FAULT_INJECTION === 'on',
      onEventsCommitted: messaging.wake,
    });
    messaging.reportMetrics(app.metrics);
    return {
      app,
      // Closed last first: the dispatcher stops moving shipments, then messaging publishes what it holds, then the db.
      resources: [db, messaging, dispatcher],
      onListening: () => {
        messaging.start();
        dispatcher.start();
      },
    };
  },
});
