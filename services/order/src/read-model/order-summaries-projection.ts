/**
 * The `order_summaries` read model as a projection of the order events. It runs inline — inside the transaction
 * that appends the events — so a GET right after a POST (or after a saga step) already sees the change; the same
 * code rebuilds the table from the log (`rebuildProjection`). Each update is guarded by the stream version, so
 * applying an event twice changes nothing. Besides the list columns, each row keeps the whole order as a JSON
 * document (order-document.ts) for GET /orders/{id}.
 */
import type { Queryable } from '@shop/db';
import type { Projection, RecordedEvent } from '@shop/event-store';
import { OrderStatus, type OrderEvent } from '../domain/order';
import { orderDocumentPatch } from './order-document';

/** `set` may use $5 onwards for `params`; the document merge is $4. */
async function update(
  tx: Queryable,
  event: RecordedEvent,
  domain: OrderEvent,
  set = '',
  params: unknown[] = [],
): Promise<void> {
  await tx.query(
    `UPDATE order_summaries SET ${set}${set ? ', ' : ''}document = document || $4::jsonb, version = $2, updated_at = $3
      WHERE id = $1 AND version < $2`,
    [
      event.streamId,
      event.version,
      event.recordedAt.toISOString(),
      JSON.stringify(orderDocumentPatch(domain)),
      ...params,
    ],
  );
}

const setStatus = (tx: Queryable, event: RecordedEvent, domain: OrderEvent, status: OrderStatus) =>
  update(tx, event, domain, 'status = $5', [status]);

export const orderSummariesProjection: Projection = {
  name: 'order-summaries',

  async handle(tx, event) {
    const domain = { type: event.type, data: event.data } as OrderEvent;
    switch (domain.type) {
      case 'OrderCreated': {
        const itemCount = domain.data.items.reduce((sum, item) => sum + item.quantity, 0);
        await tx.query(
          `INSERT INTO order_summaries (id, customer_id, status, item_count, created_at, updated_at, version, document)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (id) DO NOTHING`,
          [
            event.streamId,
            domain.data.customerId,
            OrderStatus.PENDING,
            itemCount,
            domain.data.createdAt,
            event.recordedAt.toISOString(),
            event.version,
            JSON.stringify(orderDocumentPatch(domain)),
          ],
        );
        return;
      }
      case 'OrderPriced':
        return update(tx, event, domain, 'total_minor = $5, currency = $6', [
          domain.data.total.amountMinor,
          domain.data.total.currency,
        ]);
      case 'OrderPaid':
        return update(tx, event, domain);
      case 'OrderConfirmed':
        return setStatus(tx, event, domain, OrderStatus.CONFIRMED);
      case 'OrderCancelled':
        return setStatus(tx, event, domain, OrderStatus.CANCELLED);
      case 'OrderShipped':
        return setStatus(tx, event, domain, OrderStatus.SHIPPED);
      case 'OrderDelivered':
        return setStatus(tx, event, domain, OrderStatus.DELIVERED);
      default:
        return; // not an order event
    }
  },

  async reset(tx) {
    await tx.query('DELETE FROM order_summaries');
  },
};
