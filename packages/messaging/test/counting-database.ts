// A Database that counts the round trips made through it: each query, and a transaction's BEGIN and COMMIT (or
// ROLLBACK). For tests that pin how many statements a piece of work costs, so a regression shows.
import type { Database, Queryable } from '@shop/db';

export interface CountingDatabase extends Database {
  /** Round trips so far; `reset()` starts again from zero. */
  readonly statements: number;
  reset(): void;
}

export function countStatements(db: Database): CountingDatabase {
  let statements = 0;
  const counted = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      statements += 1;
      return target.query(sql, params);
    },
    exec: (sql) => {
      statements += 1;
      return target.exec(sql);
    },
  });
  return {
    ...counted(db),
    engine: db.engine,
    get statements() {
      return statements;
    },
    reset: () => {
      statements = 0;
    },
    transaction: (work) => {
      statements += 2;
      return db.transaction((tx) => work(counted(tx)));
    },
    ping: () => db.ping(),
    close: () => db.close(),
  };
}
