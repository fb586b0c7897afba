/** Process entry of the inventory service. */
import { systemTopology } from '@shop/contracts';
import { openDatabase, runMigrations } from '@shop/db';
import { createAwsClients, createOutboxRelay, destroyAwsClients } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { InventoryServiceConfig } from './config';
import { migrationDirs } from './migrations';
import { ProductStore } from './product-store';
import { seedCatalogue } from './seed-catalogue';

void runService({
  name: 'inventory-service',
  configSchema: InventoryServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    for (const dir of migrationDirs) {
      const migrated = await runMigrations(db, dir);
      logger.info({ engine: db.engine, dir, applied: migrated.applied }, 'database migrated');
    }
    if (config.SEED_CATALOGUE === 'on') {
      const added = await new ProductStore(db).seed(seedCatalogue);
      logger.info({ added, catalogue: seedCatalogue.length }, 'demo catalogue seeded');
    }

    const aws = createAwsClients({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION });
    const relay = createOutboxRelay({ db, sns: aws.sns, topicName: systemTopology.producers.inventory.topic, logger });
    const app = await buildApp({
      db,
      logger,
      onEventsCommitted: () => relay.wake(),
      faultInjection: config.FAULT_INJECTION === 'on',
    });
    return {
      app,
      // Closed in reverse: the relay stops (finishing a pass in flight) before the clients and the database go.
      resources: [db, { close: () => destroyAwsClients(aws) }, { close: () => relay.stop() }],
      onListening: () => relay.start(),
    };
  },
});
