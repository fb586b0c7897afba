/** Process entry of the inventory service. */
import './instrument'; // first: tracing must patch modules before they load
import { openDatabase, runMigrations } from '@shop/db';
import { createServiceMessaging } from '@shop/messaging';
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
    const migrated = await runMigrations(db, migrationDirs);
    logger.info({ engine: db.engine, applied: migrated.applied }, 'database ready');
    if (config.SEED_CATALOGUE === 'on') {
      const added = await new ProductStore(db).seed(seedCatalogue);
      logger.info({ added, catalogue: seedCatalogue.length }, 'demo catalogue seeded');
    }

    const messaging = createServiceMessaging({
      service: 'inventory',
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
    });
    messaging.reportMetrics(app.metrics);
    return { app, resources: [db, messaging], onListening: messaging.start };
  },
});
