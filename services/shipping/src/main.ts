/** Process entry of the shipping service. */
import { systemTopology } from '@shop/contracts';
import { openDatabase } from '@shop/db';
import { createAwsClients, createOutboxRelay, destroyAwsClients } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { ShippingServiceConfig } from './config';
import { Dispatcher } from './dispatcher';
import { migrateShippingDatabase } from './migrations';
import { wallClock } from './wall-clock';

void runService({
  name: 'shipping-service',
  configSchema: ShippingServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const applied = await migrateShippingDatabase(db);
    logger.info({ engine: db.engine, applied }, 'database ready');

    const aws = createAwsClients({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION });
    // The topic is looked up by name on first publish (and again until it exists), so start-up does not wait for it.
    const relay = createOutboxRelay({ db, sns: aws.sns, topicName: systemTopology.producers.shipping.topic, logger });
    const schedule = { dispatchDelayMs: config.DISPATCH_DELAY_MS, deliveryDelayMs: config.DELIVERY_DELAY_MS };
    const dispatcher = new Dispatcher({
      db,
      clock: wallClock,
      schedule,
      carrier: config.CARRIER,
      batchSize: config.DISPATCHER_BATCH_SIZE,
      pollIntervalMs: config.DISPATCHER_POLL_MS,
      logger,
      onEventsCommitted: () => relay.wake(),
    });
    const app = await buildApp({
      db,
      schedule,
      logger,
      faultInjection: config.FAULT_INJECTION === 'on',
      onEventsCommitted: () => relay.wake(),
    });
    return {
      app,
      // Closed last first: the dispatcher stops moving shipments, the relay publishes what it holds, then the rest.
      resources: [db, { close: () => destroyAwsClients(aws) }, { close: () => relay.stop() }, dispatcher],
      onListening: () => {
        relay.start();
        dispatcher.start();
      },
    };
  },
});
