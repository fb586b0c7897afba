/**
 * The database's own counts (`@shop/db`'s `Database.counters()`), read at scrape time: round trips and transactions
 * since the process opened it. Round trips per request is the figure that says what a request costs the database —
 * each is a message to the server and a wait for its answer — and `pnpm bench` divides it by confirmed orders.
 */
import { Counter, type Registry } from 'prom-client';
import { registeredMetric } from './metrics-registry';

export interface DatabaseCounts {
  roundTrips: number;
  transactions: number;
}

export function databaseMetrics(registry: Registry, read: () => DatabaseCounts): void {
  // Counters that follow a total kept elsewhere: each scrape adds what the total grew by since the last one.
  const followed = (name: string, help: string, pick: (counts: DatabaseCounts) => number) => {
    let reported = 0;
    registeredMetric(
      registry,
      name,
      () =>
        new Counter({
          name,
          help,
          registers: [registry],
          collect() {
            const total = pick(read());
            this.inc(total - reported);
            reported = total;
          },
        }),
    );
  };
  followed(
    'db_round_trips_total',
    'Round trips to the database: each statement, and each transaction’s BEGIN and COMMIT or ROLLBACK.',
    (counts) => counts.roundTrips,
  );
  followed('db_transactions_total', 'Transactions run (committed or rolled back).', (counts) => counts.transactions);
}
