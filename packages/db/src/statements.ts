/**
 * A statement as data — its SQL and its parameters — so that code which only writes can hand its writes to the
 * code that sends them, instead of sending each itself. Every round trip to a real server costs the client a socket
 * write and a wait and the server a message (`pnpm bench` counts them per order), and node-postgres sends one
 * statement per round trip; Postgres, though, runs several writes in ONE statement as data-modifying CTEs
 * (`WITH a AS (INSERT …), b AS (UPDATE …) INSERT …`). `alongside` builds that statement.
 */
import type { Queryable, QueryResult, Row } from './database';

export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Runs statements one after another, each its own round trip (the way to run them when nothing can be combined). */
export async function runStatements(tx: Queryable, statements: readonly Statement[]): Promise<void> {
  for (const { sql, params } of statements) await tx.query(sql, params);
}

/**
 * One statement that runs `main` and every write in `writes`, answering as `main` does (its RETURNING rows, if it
 * has any): `WITH write_1 AS (…), write_2 AS (…) <main>`. The rules are Postgres's for data-modifying CTEs, and they
 * are what a caller must check:
 * - each part is a single INSERT, UPDATE or DELETE (`main` may also be a SELECT) that does not start with WITH;
 * - all parts see the database as it was before the statement: none sees another's changes, so no two may touch
 *   the same row (an UPDATE of a row an INSERT beside it creates finds nothing);
 * - the parts number their parameters from $1 each, and no `$<digit>` appears in them other than as a parameter.
 * Every write runs, though nothing reads it, and an error in any part fails the whole statement.
 */
export function alongside(main: Statement, writes: readonly Statement[]): Statement {
  if (writes.length === 0) return main;
  const params: unknown[] = [...main.params];
  const parts = writes.map((write, index) => {
    const offset = params.length;
    params.push(...write.params);
    return `write_${index + 1} AS (${write.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  return { sql: `WITH ${parts.join(',\n')}\n${main.sql}`, params };
}

/** Runs one statement (e.g. built by `alongside`). */
export function runStatement<R extends object = Row>(tx: Queryable, statement: Statement): Promise<QueryResult<R>> {
  return tx.query<R>(statement.sql, statement.params);
}
