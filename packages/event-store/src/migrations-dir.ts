/** Where this package's SQL lives, for `runMigrations(db, eventStoreMigrationsDir)` (works from src and dist). */
import { join } from 'node:path';

export const eventStoreMigrationsDir = join(__dirname, '..', 'migrations');
