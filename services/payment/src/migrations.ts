import { join } from 'node:path';

/** The service's SQL migrations, shipped next to the compiled code (dist/ → ../migrations). */
export const migrationsDir = join(__dirname, '..', 'migrations');
