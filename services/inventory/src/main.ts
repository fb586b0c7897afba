/** Process entry of the inventory service. */
import './instrument'; // first: tracing must patch modules before they load
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { InventoryServiceConfig } from './config';
import { migrations } from './migrations';
import { seedDemoCatalogue } from './seed-catalogue';

void runService({
  name: 'inventory-service',
  config: InventoryServiceConfig,
  database: { migrations, seed: seedDemoCatalogue },
  messaging: { service: 'inventory' },
  buildApp: ({ deps }) => buildApp(deps),
});
