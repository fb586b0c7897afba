/** Database on a real Postgres server through a node-postgres connection pool. */
import { createHash } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import type { Database, Queryable, QueryResult } from './database';
import { sanitizeQueryErrors } from './query-errors';
import { createRoundTripCounter } from './round-trip-counter';

type PgResult = Promise<{ rows: unknown[]; rowCount: number | null }>;
interface PgLike {
  query(sql: string, params?: unknown[]): PgResult;
  query(config: { name: string; text: string; values: unknown[] }): PgResult;
}

/**
 * Every parameterised query runs as a named prepared statement, its name derived from its text. node-postgres then
 * sends the text to be parsed once per connection and afterwards only the name and the values, and the server reuses
 * the parsed statement (and, after a few executions, its plan) instead of parsing and planning every statement anew
 * — which was the largest part of the Postgres server's CPU per order (`pnpm bench`: 26–30 ms of CPU per confirmed
 * order in the server, more than the order service itself). Statements are short and few (each service has a few
 * dozen distinct texts), so the per-connection cache stays small. Without parameters (`exec`, migrations) node-postgres
 * uses the simple protocol, which is never prepared: DDL does not end up in the cache.
 */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function toQueryable(target: PgLike): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const result = await sanitizeQueryErrors(
        params.length > 0
          ? target.query({ name: statementName(sql), text: sql, values: params as unknown[] })
          : target.query(sql),
      );
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
  const counter = createRoundTripCounter();

  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client: PoolClient = await pool.connect();
    counter.transactionRun();
    try {
      await client.query('BEGIN');
      const result = await work(counter.counted(toQueryable(client)));
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
    ...counter.counted(toQueryable(pool)),
    transaction,
    counters: counter.snapshot,
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
