/** Database on PGlite: Postgres in WASM, in memory or in a data directory. No server, starts in milliseconds. */
import { mkdir } from 'node:fs/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite' with { 'resolution-mode': 'import' };
import type { Database, Queryable, QueryResult } from './database';
import { sanitizeQueryErrors } from './query-errors';
import { createRoundTripCounter } from './round-trip-counter';

function toQueryable(target: PGlite | Transaction): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await sanitizeQueryErrors(target.query<R>(sql, params as unknown[]));
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await sanitizeQueryErrors(target.exec(sql));
    },
  };
}

export interface PgliteOptions {
  /** Directory holding the cluster; omit for an in-memory database. */
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (tests use one to skip initdb). */
  loadDataDir?: Blob;
}

export async function openPgliteDatabase(options: PgliteOptions = {}): Promise<Database> {
  // PGlite creates the data directory itself but not its parents (e.g. `.data/` on a fresh clone).
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Loaded here, not at the top: every service imports @shop/db, and one on Postgres need not carry PGlite's module.
  const { PGlite: Engine } = await import('@electric-sql/pglite');
  const pglite = await Engine.create(options);
  const counter = createRoundTripCounter();
  let closed = false;
  return {
    engine: 'pglite',
    ...counter.counted(toQueryable(pglite)),
    transaction: (work) => {
      counter.transactionRun();
      return pglite.transaction((tx) => work(counter.counted(toQueryable(tx))));
    },
    counters: counter.snapshot,
    ping: async () => {
      await pglite.query('SELECT 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}
