/**
 * The counting behind `Database.counters()`, shared by both engines: a Queryable wrapped so each query and exec
 * counts one round trip, and a transaction counts its BEGIN and COMMIT (or ROLLBACK) — the two messages the engine
 * sends around the work.
 */
import type { DatabaseCounters, Queryable } from './database';

export interface RoundTripCounter {
  /** `target` with every query and exec counted. */
  counted(target: Queryable): Queryable;
  /** Counts a transaction's BEGIN and its COMMIT or ROLLBACK. */
  transactionRun(): void;
  snapshot(): DatabaseCounters;
}

export function createRoundTripCounter(): RoundTripCounter {
  let roundTrips = 0;
  let transactions = 0;
  return {
    counted: (target) => ({
      query: (sql, params) => {
        roundTrips += 1;
        return target.query(sql, params);
      },
      exec: (sql) => {
        roundTrips += 1;
        return target.exec(sql);
      },
    }),
    transactionRun: () => {
      roundTrips += 2;
      transactions += 1;
    },
    snapshot: () => ({ roundTrips, transactions }),
  };
}
