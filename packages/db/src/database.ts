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

/**
 * What a database has been asked since it was opened. Round trips are what a piece of work costs on a real server —
 * each one a message to the server and a wait for its answer, whatever the statement — so they are counted as such:
 * every query and exec, and each transaction's BEGIN and its COMMIT or ROLLBACK. Served as metrics
 * (`db_round_trips_total`, `db_transactions_total`) and read by `pnpm bench` per confirmed order.
 */
export interface DatabaseCounters {
  readonly roundTrips: number;
  /** Transactions run through `transaction()`, committed or rolled back. */
  readonly transactions: number;
}

export interface Database extends Queryable {
  readonly engine: Engine;
  /**
   * Runs `work` inside one transaction: committed when it resolves, rolled back when it throws.
   * On PGlite transactions are serialised (a single connection); on Postgres each gets its own pooled connection.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Cheap round-trip used by readiness checks (not counted: a probe is not the service's work). */
  ping(): Promise<void>;
  /** Counts so far (a snapshot). */
  counters(): DatabaseCounters;
  close(): Promise<void>;
}
