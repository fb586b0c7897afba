/**
 * The customer order history: a read model the user service builds from the order service's events, so showing
 * "my orders" never needs a synchronous call to the order service. Handlers are version-gated, which makes them
 * correct under the redelivery and reordering that SQS allows.
 */
import type { EventOf } from '@shop/contracts';
import type { Database, Statement } from '@shop/db';
import type { EventHandlers } from '@shop/messaging';

export type OrderHistoryStatus = 'PLACED' | 'CONFIRMED' | 'CANCELLED' | 'SHIPPED' | 'DELIVERED';

export interface OrderHistoryEntry {
  orderId: string;
  status: OrderHistoryStatus;
  total: { amountMinor: number; currency: string } | null;
  itemCount: number | null;
  placedAt: string | null;
  updatedAt: string;
}

interface OrderFacts {
  orderId: string;
  customerId: string;
  status: OrderHistoryStatus;
  version: number;
  occurredAt: string;
  total?: { amountMinor: number; currency: string };
  itemCount?: number;
  placedAt?: string;
}

/** One upsert per event: it only writes, so the consumer sends it with the inbox record as one statement. */
function applyOrderFacts(facts: OrderFacts): Statement[] {
  const upsert: Statement = {
    sql: `INSERT INTO customer_order_history
       (order_id, customer_id, status, total_amount, currency, item_count, placed_at, updated_at, last_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (order_id) DO UPDATE SET
       status = CASE WHEN EXCLUDED.last_version > customer_order_history.last_version
                     THEN EXCLUDED.status ELSE customer_order_history.status END,
       updated_at = CASE WHEN EXCLUDED.last_version > customer_order_history.last_version
                         THEN EXCLUDED.updated_at ELSE customer_order_history.updated_at END,
       last_version = GREATEST(EXCLUDED.last_version, customer_order_history.last_version),
       total_amount = COALESCE(customer_order_history.total_amount, EXCLUDED.total_amount),
       currency = COALESCE(customer_order_history.currency, EXCLUDED.currency),
       item_count = COALESCE(customer_order_history.item_count, EXCLUDED.item_count),
       placed_at = COALESCE(customer_order_history.placed_at, EXCLUDED.placed_at)`,
    params: [
      facts.orderId,
      facts.customerId,
      facts.status,
      facts.total?.amountMinor ?? null,
      facts.total?.currency ?? null,
      facts.itemCount ?? null,
      facts.placedAt ?? null,
      facts.occurredAt,
      facts.version,
    ],
  };
  return [upsert];
}

type OrderEvent =
  | EventOf<'OrderPlaced'>
  | EventOf<'OrderConfirmed'>
  | EventOf<'OrderCancelled'>
  | EventOf<'OrderShipped'>
  | EventOf<'OrderDelivered'>;

function factsOf(event: OrderEvent, status: OrderHistoryStatus): OrderFacts {
  return {
    orderId: event.data.orderId,
    customerId: event.data.customerId,
    status,
    version: event.aggregateVersion,
    occurredAt: event.occurredAt,
  };
}

export const orderHistoryHandlers: EventHandlers = {
  OrderPlaced: {
    writes: (event) =>
      applyOrderFacts({
        ...factsOf(event, 'PLACED'),
        total: event.data.total,
        itemCount: event.data.lines.reduce((sum, line) => sum + line.quantity, 0),
        placedAt: event.occurredAt,
      }),
  },
  OrderConfirmed: { writes: (event) => applyOrderFacts(factsOf(event, 'CONFIRMED')) },
  OrderCancelled: { writes: (event) => applyOrderFacts(factsOf(event, 'CANCELLED')) },
  OrderShipped: { writes: (event) => applyOrderFacts(factsOf(event, 'SHIPPED')) },
  OrderDelivered: { writes: (event) => applyOrderFacts(factsOf(event, 'DELIVERED')) },
};

interface HistoryRow {
  order_id: string;
  status: OrderHistoryStatus;
  total_amount: string | number | null;
  currency: string | null;
  item_count: number | null;
  placed_at: Date | string | null;
  updated_at: Date | string;
}

export async function listOrderHistory(db: Database, customerId: string): Promise<OrderHistoryEntry[]> {
  const { rows } = await db.query<HistoryRow>(
    `SELECT order_id, status, total_amount, currency, item_count, placed_at, updated_at
       FROM customer_order_history WHERE customer_id = $1
      ORDER BY placed_at DESC NULLS FIRST, order_id DESC LIMIT 200`,
    [customerId],
  );
  return rows.map((row) => ({
    orderId: row.order_id,
    status: row.status,
    total: row.total_amount === null ? null : { amountMinor: Number(row.total_amount), currency: row.currency! },
    itemCount: row.item_count,
    placedAt: row.placed_at === null ? null : new Date(row.placed_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }));
}
