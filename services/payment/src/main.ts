/** Process entry of the payment service. */
import { systemTopology } from '@shop/contracts';
import { openDatabase, runMigrations } from '@shop/db';
import { createAwsClients, createOutboxRelay, destroyAwsClients, messagingMigrationsDir } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { PaymentServiceConfig } from './config';
import { migrationsDir } from './migrations';

void runService({
  name: 'payment-service',
  configSchema: PaymentServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const messaging = await runMigrations(db, messagingMigrationsDir);
    const own = await runMigrations(db, migrationsDir);
    logger.info({ engine: db.engine, applied: [...messaging.applied, ...own.applied] }, 'database ready');

    const aws = createAwsClients({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION });
    // The topic is looked up by name on first publish (and again later if it is not provisioned yet).
    const relay = createOutboxRelay({ db, sns: aws.sns, topicName: systemTopology.producers.payment.topic, logger });
    const app = await buildApp({
      db,
      logger,
      authentication: { secret: config.JWT_SECRET },
      onEventsCommitted: () => relay.wake(),
      faultInjection: config.FAULT_INJECTION === 'on',
      idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
    });
    return {
      app,
      // Closed in reverse: the relay stops first, then the AWS clients, then the database.
      resources: [db, { close: () => destroyAwsClients(aws) }, { close: () => relay.stop() }],
      onListening: () => relay.start(),
    };
  },
});
