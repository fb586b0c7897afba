/**
 * Which orders wait for a person: their checkout saga is parked in NEEDS_ATTENTION. The saga's onNeedsAttention and
 * onResumed hooks keep this table in the transactions that park and resume the saga, so the read model never reads
 * the saga engine's own tables (they are the engine's private state, free to change with it).
 */
import type { Queryable } from '@shop/db';

export async function markNeedsAttention(tx: Queryable, orderId: string, reason: string): Promise<void> {
  await tx.query(
    `INSERT INTO order_attention (order_id, reason, since) VALUES ($1, $2, now())
     ON CONFLICT (order_id) DO UPDATE SET reason = excluded.reason, since = excluded.since`,
    [orderId, reason],
  );
}

export async function clearNeedsAttention(tx: Queryable, orderId: string): Promise<void> {
  await tx.query('DELETE FROM order_attention WHERE order_id = $1', [orderId]);
}
