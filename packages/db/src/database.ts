/**
 * The one database interface every service uses. Two engines sit behind it — PGlite (Postgres compiled to WASM,
 * embedded, the default) and node-postgres against a real server — and the same SQL runs on both.
 */
export type Row = Record<string, unknown>;

export interface QueryResult<R extends object = Row> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned, for SELECT). */
  rowCount: number;
}

/** Anything you can run SQL on: the database itself or an open transaction. */
export interface Queryable {
  query<R extends object = Row>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type Engine = 'pglite' | 'postgres';

export interface Database extends Queryable {
  readonly engine: Engine;
  /**
   * Runs `work` inside one transaction: committed when it resolves, rolled back when it throws.
   * On PGlite transactions are serialised (a single connection); on Postgres each gets its own pooled connection.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round-trip used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
