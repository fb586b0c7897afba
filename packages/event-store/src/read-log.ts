/**
 * Reading the global log in (transaction_id, global_position) order — the one query behind `readAll`, projectors
 * and rebuilds.
 */
import type { Queryable } from '@shop/db';
import type { LogPosition, RecordedEvent } from './events';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './event-rows';

export interface ReadLogOptions {
  after: LogPosition;
  limit: number;
  /**
   * `'finished-transactions'` (the default everywhere): only events of transactions older than every transaction
   * still running. Anything that commits later has a younger transaction id, so it sorts after whatever a reader
   * has seen — nothing is ever skipped.
   * `'all-committed'`: every committed event. Only correct while appends are blocked (inline-projection rebuild
   * holds a SHARE lock on the table), because then nothing can commit behind the reader.
   */
  horizon: 'finished-transactions' | 'all-committed';
}

export async function readLog(tx: Queryable, { after, limit, horizon }: ReadLogOptions): Promise<RecordedEvent[]> {
  const visibility =
    horizon === 'finished-transactions' ? 'AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())' : '';
  const { rows } = await tx.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM event_store_events
      WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint) ${visibility}
      ORDER BY transaction_id, global_position
      LIMIT $3`,
    [after.transactionId, after.globalPosition, limit],
  );
  return rows.map(toRecordedEvent);
}
