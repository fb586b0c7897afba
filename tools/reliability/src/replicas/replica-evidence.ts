/**
 * What only the databases know after a replica run, as plain values for the pure checks in
 * `check-replica-invariants.ts`: every saga step attempt with the process that made it, every inbox entry, every
 * outbox row. Read once the processes have stopped, so nothing moves while it is read.
 */
import { openPostgresDatabase } from '@shop/db';

export interface StepAttempt {
  sagaId: string;
  step: string;
  action: string;
  attempt: number;
  /** The saga engine's lease owner (`host:pid:random`): one value per process incarnation. */
  owner: string | null;
  startedAt: number;
  finishedAt: number | null;
  /** How long the owner's lease allowed the attempt to run (bounds an attempt cut off by a crash). */
  leaseUntil: number | null;
}

export interface InboxEntry {
  consumer: string;
  eventId: string;
}

export interface OutboxRow {
  producer: string;
  eventId: string;
  eventType: string;
  published: boolean;
}

export interface ReplicaEvidence {
  attempts: StepAttempt[];
  inbox: InboxEntry[];
  outbox: OutboxRow[];
}

const ms = (value: unknown): number | null => (value === null ? null : new Date(value as Date).getTime());

async function withDatabase<T>(url: string, read: (query: QueryFn) => Promise<T>): Promise<T> {
  const db = openPostgresDatabase({ url, maxConnections: 1 });
  try {
    return await read(async (sql) => (await db.query(sql)).rows);
  } finally {
    await db.close();
  }
}
type QueryFn = (sql: string) => Promise<Record<string, unknown>[]>;

/** `databaseUrls` per service; `consumers` and `producers` name the services with an inbox or an outbox. */
export async function readReplicaEvidence(
  databaseUrls: Record<string, string>,
  producers: readonly string[],
  consumers: readonly string[],
): Promise<ReplicaEvidence> {
  const attempts = await withDatabase(databaseUrls.order!, async (query) =>
    (
      await query(
        `SELECT saga_id, step_name, action, attempt, lease_owner, started_at, finished_at, lease_until
           FROM saga_step_log ORDER BY id`,
      )
    ).map((row): StepAttempt => ({
      sagaId: row.saga_id as string,
      step: row.step_name as string,
      action: row.action as string,
      attempt: row.attempt as number,
      owner: (row.lease_owner as string | null) ?? null,
      startedAt: ms(row.started_at)!,
      finishedAt: ms(row.finished_at),
      leaseUntil: ms(row.lease_until),
    })),
  );
  const inbox: InboxEntry[] = [];
  for (const service of consumers) {
    await withDatabase(databaseUrls[service]!, async (query) => {
      for (const row of await query('SELECT consumer, event_id::text AS event_id FROM inbox'))
        inbox.push({ consumer: row.consumer as string, eventId: row.event_id as string });
    });
  }
  const outbox: OutboxRow[] = [];
  for (const producer of producers) {
    await withDatabase(databaseUrls[producer]!, async (query) => {
      const rows = await query(
        'SELECT event_id::text AS event_id, event_type, published_at IS NOT NULL AS published FROM outbox',
      );
      for (const row of rows)
        outbox.push({
          producer,
          eventId: row.event_id as string,
          eventType: row.event_type as string,
          published: row.published as boolean,
        });
    });
  }
  return { attempts, inbox, outbox };
}
