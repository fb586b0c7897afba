/**
 * Queries over the `order_summaries` read model: lists by customer and status, oldest first, keyset-paginated.
 * NEEDS_ATTENTION is not an order status but the state of its checkout: the saga's hooks record it in
 * `order_attention` (order-attention.ts), in the transaction that parks the saga, so an operator's list of stuck
 * orders is always current.
 */
import type { Queryable } from '@shop/db';

export type SummaryStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'NEEDS_ATTENTION';

export interface OrderSummary {
  id: string;
  customerId: string;
  status: SummaryStatus;
  total: { amountMinor: number; currency: string } | null;
  itemCount: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface OrderSummaryPage {
  orders: OrderSummary[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

interface SummaryRow {
  id: string;
  customer_id: string;
  status: SummaryStatus;
  total_minor: string | number | null;
  currency: string | null;
  item_count: number;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
}

const STATUS = `CASE WHEN a.order_id IS NOT NULL THEN 'NEEDS_ATTENTION' ELSE o.status END`;
const SELECT = `SELECT o.id, o.customer_id, ${STATUS} AS status, o.total_minor, o.currency, o.item_count,
                       o.created_at, o.updated_at, o.version
                  FROM order_summaries o LEFT JOIN order_attention a ON a.order_id = o.id`;

function toSummary(row: SummaryRow): OrderSummary {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    total: row.total_minor === null ? null : { amountMinor: Number(row.total_minor), currency: row.currency! },
    itemCount: row.item_count,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
  };
}

/** Opaque cursor: the (createdAt, id) of the last order on the page. */
const encodeCursor = (order: OrderSummary) =>
  Buffer.from(JSON.stringify([order.createdAt, order.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((part) => typeof part === 'string') &&
      !Number.isNaN(Date.parse(value[0] as string))
    ) {
      return value as [string, string];
    }
  } catch {
    // fall through: an unreadable cursor is the caller's mistake
  }
  throw new InvalidCursorError('cursor is not one this API issued');
}

export interface ListFilter {
  customerId?: string;
  status?: SummaryStatus;
  cursor?: string;
  limit: number;
}

export async function listOrderSummaries(db: Queryable, filter: ListFilter): Promise<OrderSummaryPage> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const where = (condition: (n: string) => string, ...values: unknown[]) => {
    params.push(...values);
    conditions.push(condition(`$${params.length - values.length + 1}`));
  };
  if (filter.customerId !== undefined) where((p) => `o.customer_id = ${p}`, filter.customerId);
  if (filter.status !== undefined) where((p) => `${STATUS} = ${p}`, filter.status);
  if (filter.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(filter.cursor);
    const n = params.length;
    params.push(createdAt, id);
    conditions.push(`(o.created_at, o.id) > ($${n + 1}::timestamptz, $${n + 2})`);
  }
  params.push(filter.limit + 1);
  const { rows } = await db.query<SummaryRow>(
    `${SELECT} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY o.created_at, o.id LIMIT $${params.length}`,
    params,
  );
  const orders = rows.slice(0, filter.limit).map(toSummary);
  return { orders, nextCursor: rows.length > filter.limit ? encodeCursor(orders.at(-1)!) : null };
}

/** Every summary, for comparing a rebuilt read model with the live one. */
export async function allOrderSummaries(db: Queryable): Promise<OrderSummary[]> {
  const { rows } = await db.query<SummaryRow>(`${SELECT} ORDER BY o.id`);
  return rows.map(toSummary);
}
