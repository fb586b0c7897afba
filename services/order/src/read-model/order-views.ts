/**
 * One order as GET /orders/{id} shows it, read from the read model: its document, version and whether its checkout
 * is parked (order_attention) in one indexed read. The event stream is read only for rows projected before the
 * document column existed.
 */
import type { Queryable } from '@shop/db';
import type { Order } from '../domain/order';
import type { Orders } from '../orders';

export interface OrderView {
  order: Order & { version: number };
  needsAttention: boolean;
}

export async function findOrderView(db: Queryable, orders: Orders, orderId: string): Promise<OrderView | undefined> {
  const { rows } = await db.query<{ document: Order | null; version: number; needs_attention: boolean }>(
    `SELECT o.document, o.version, a.order_id IS NOT NULL AS needs_attention
       FROM order_summaries o LEFT JOIN order_attention a ON a.order_id = o.id
      WHERE o.id = $1`,
    [orderId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const order = row.document ? { ...row.document, version: row.version } : await orders.get(orderId);
  return order ? { order, needsAttention: row.needs_attention } : undefined;
}
