/** The stored position of each asynchronous projection, locked while a batch is applied. */
import type { Queryable } from '@shop/db';
import type { LogPosition } from './events';

/**
 * Reads the checkpoint and locks its row until the transaction ends, so two projector instances (or a projector
 * and a rebuild) never apply the same batch: the second waits, then continues from the first one's checkpoint.
 */
export async function lockCheckpoint(tx: Queryable, projection: string): Promise<LogPosition> {
  await tx.query('INSERT INTO event_store_checkpoints (projection) VALUES ($1) ON CONFLICT DO NOTHING', [projection]);
  const { rows } = await tx.query<{ transaction_id: string; global_position: number | string }>(
    `SELECT transaction_id::text AS transaction_id, global_position
       FROM event_store_checkpoints WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  return { transactionId: rows[0]!.transaction_id, globalPosition: Number(rows[0]!.global_position) };
}

export async function saveCheckpoint(tx: Queryable, projection: string, position: LogPosition): Promise<void> {
  await tx.query(
    `UPDATE event_store_checkpoints
        SET transaction_id = $2::text::xid8, global_position = $3, updated_at = now()
      WHERE projection = $1`,
    [projection, position.transactionId, position.globalPosition],
  );
}

/** For tests and operations: where a projection is, or the start of the log if it never ran. */
export async function readCheckpoint(db: Queryable, projection: string): Promise<LogPosition | undefined> {
  const { rows } = await db.query<{ transaction_id: string; global_position: number | string }>(
    'SELECT transaction_id::text AS transaction_id, global_position FROM event_store_checkpoints WHERE projection = $1',
    [projection],
  );
  const row = rows[0];
  return row && { transactionId: row.transaction_id, globalPosition: Number(row.global_position) };
}
