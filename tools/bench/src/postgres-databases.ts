/**
 * Postgres mode: one fresh database per service on the local server (like docker compose's one server, one
 * database per service), dropped afterwards. `null` when no server answers, so the caller can say it skipped.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '@shop/db';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresDatabases {
  readonly urls: Record<string, string>;
  drop(): Promise<void>;
}

export async function createPostgresDatabases(
  names: readonly string[],
  adminUrl = DEFAULT_POSTGRES_URL,
): Promise<PostgresDatabases | null> {
  let admin: Database;
  try {
    admin = await openDatabase({ url: adminUrl });
  } catch {
    return null;
  }
  const run = randomBytes(3).toString('hex');
  const urls: Record<string, string> = {};
  for (const name of names) {
    const database = `bench_${run}_${name.replace(/[^a-z0-9]/gi, '_')}`;
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    urls[name] = url.toString();
  }
  return {
    urls,
    drop: async () => {
      for (const url of Object.values(urls)) {
        // WITH (FORCE): a service that did not close its pool yet must not keep its database around.
        await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      }
      await admin.close();
    },
  };
}
