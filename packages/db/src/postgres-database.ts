/** Database on a real Postgres server through a node-postgres connection pool. */
import { Pool, type PoolClient } from 'pg';
import type { Database, Queryable, QueryResult } from './database';
import { sanitizeQueryErrors } from './query-errors';

interface PgLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

function toQueryable(target: PgLike): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await sanitizeQueryErrors(target.query(sql, params as unknown[]));
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple query protocol, which accepts several statements.
      await sanitizeQueryErrors(target.query(sql));
    },
  };
}

export interface PostgresOptions {
  url: string;
  /** Pool size; small by default because every service owns its own database. */
  maxConnections?: number;
}

export function openPostgresDatabase({ url, maxConnections = 10 }: PostgresOptions): Database {
  const pool = new Pool({ connectionString: url, max: maxConnections });
  // An idle client losing its connection must not crash the process; the next query gets a fresh one.
  pool.on('error', () => undefined);
  let closed = false;

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(toQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    engine: 'postgres',
    ...toQueryable(pool),
    transaction,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
