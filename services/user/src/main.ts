/** Process entry of the user service. */
import { openDatabase, runMigrations } from '@shop/db';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { UserServiceConfig } from './config';
import { migrationsDir } from './migrations';

void runService({
  name: 'user-service',
  configSchema: UserServiceConfig,
  async start({ config, logger }) {
    const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
    const migrated = await runMigrations(db, migrationsDir);
    logger.info({ engine: db.engine, applied: migrated.applied }, 'database ready');
    const app = await buildApp({ db, logger });
    return { app, resources: [db] };
  },
});
