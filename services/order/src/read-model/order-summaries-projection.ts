/**
 * The `order_summaries` read model as a projection of the order events. It runs inline — inside the transaction
 * that appends the events — so a GET right after a POST (or after a saga step) already sees the change; the same
 * code rebuilds the table from the log (`rebuildProjection`). Each update is guarded by the stream version, so
 * applying an event twice changes nothing.
 */
import type { Queryable } from '@shop/db';
import type { Projection, RecordedEvent } from '@shop/event-store';
import { OrderStatus, type OrderEvent } from '../domain/order';

async function update(tx: Queryable, event: RecordedEvent, set: string, params: unknown[] = []): Promise<void> {
  await tx.query(
    `UPDATE order_summaries SET ${set}${set ? ', ' : ''}version = $2, updated_at = $3
      WHERE id = $1 AND version < $2`,
    [event.streamId, event.version, event.recordedAt.toISOString(), ...params],
  );
}

const setStatus = (tx: Queryable, event: RecordedEvent, status: OrderStatus) =>
  update(tx, event, 'status = $4', [status]);

export const orderSummariesProjection: Projection = {
  name: 'order-summaries',

  async handle(tx, event) {
    const domain = { type: event.type, data: event.data } as OrderEvent;
    switch (domain.type) {
      case 'OrderCreated': {
        const itemCount = domain.data.items.reduce((sum, item) => sum + item.quantity, 0);
        await tx.query(
          `INSERT INTO order_summaries (id, customer_id, status, item_count, created_at, updated_at, version)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
          [
            event.streamId,
            domain.data.customerId,
            OrderStatus.PENDING,
            itemCount,
            domain.data.createdAt,
            event.recordedAt.toISOString(),
            event.version,
          ],
        );
        return;
      }
      case 'OrderPriced':
        return update(tx, event, 'total_minor = $4, currency = $5', [
          domain.data.total.amountMinor,
          domain.data.total.currency,
        ]);
      case 'OrderPaid':
        return update(tx, event, '');
      case 'OrderConfirmed':
        return setStatus(tx, event, OrderStatus.CONFIRMED);
      case 'OrderCancelled':
        return setStatus(tx, event, OrderStatus.CANCELLED);
      case 'OrderShipped':
        return setStatus(tx, event, OrderStatus.SHIPPED);
      case 'OrderDelivered':
        return setStatus(tx, event, OrderStatus.DELIVERED);
      default:
        return; // not an order event
    }
  },

  async reset(tx) {
    await tx.query('DELETE FROM order_summaries');
  },
};
