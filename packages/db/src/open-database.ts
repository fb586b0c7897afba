/** Chooses the engine: a real Postgres when a URL is given, embedded PGlite otherwise. */
import type { Database } from './database';
import { openPgliteDatabase } from './pglite-database';
import { openPostgresDatabase } from './postgres-database';

export interface OpenDatabaseOptions {
  /** `postgres://…` — use a real server (e.g. DATABASE_URL). */
  url?: string;
  /** PGlite data directory; omit for an in-memory database (tests). Ignored when `url` is set. */
  dataDir?: string;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) {
    const db = openPostgresDatabase({ url: options.url });
    await db.ping(); // fail at start-up, with the driver's message, rather than on the first request
    return db;
  }
  return openPgliteDatabase({ dataDir: options.dataDir });
}
