/**
 * The `order_summaries` read model as a projection of the order events. It runs inline — inside the transaction
 * that appends the events — so a GET right after a POST (or after a saga step) already sees the change; the same
 * code rebuilds the table from the log (`rebuildProjection`). Each update is guarded by the stream version, so
 * applying an event twice changes nothing. Besides the list columns, each row keeps the whole order as a JSON
 * document (order-document.ts) for GET /orders/{id}.
 *
 * It only writes, so it says its writes as statements (`writesFor`): the event store sends them in the event's own
 * insert statement, and `handle` (rebuilds) runs the very same statements.
 */
import { runStatements, type Statement } from '@shop/db';
import type { PendingEvent, Projection } from '@shop/event-store';
import { OrderStatus, type OrderEvent } from '../domain/order';
import { orderDocumentPatch } from './order-document';

/** `set` may use $5 onwards for `params`; the document merge is $4. */
function update(event: PendingEvent, domain: OrderEvent, set = '', params: unknown[] = []): Statement {
  return {
    sql: `UPDATE order_summaries SET ${set}${set ? ', ' : ''}document = document || $4::jsonb, version = $2, updated_at = $3
      WHERE id = $1 AND version < $2`,
    params: [
      event.streamId,
      event.version,
      event.recordedAt.toISOString(),
      JSON.stringify(orderDocumentPatch(domain)),
      ...params,
    ],
  };
}

const setStatus = (event: PendingEvent, domain: OrderEvent, status: OrderStatus) =>
  update(event, domain, 'status = $5', [status]);

function writesFor(event: PendingEvent): Statement[] {
  const domain = { type: event.type, data: event.data } as OrderEvent;
  switch (domain.type) {
    case 'OrderCreated': {
      const itemCount = domain.data.items.reduce((sum, item) => sum + item.quantity, 0);
      return [
        {
          sql: `INSERT INTO order_summaries (id, customer_id, status, item_count, created_at, updated_at, version, document)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (id) DO NOTHING`,
          params: [
            event.streamId,
            domain.data.customerId,
            OrderStatus.PENDING,
            itemCount,
            domain.data.createdAt,
            event.recordedAt.toISOString(),
            event.version,
            JSON.stringify(orderDocumentPatch(domain)),
          ],
        },
      ];
    }
    case 'OrderPriced':
      return [
        update(event, domain, 'total_minor = $5, currency = $6', [
          domain.data.total.amountMinor,
          domain.data.total.currency,
        ]),
      ];
    case 'OrderPaid':
      return [update(event, domain)];
    case 'OrderConfirmed':
      return [setStatus(event, domain, OrderStatus.CONFIRMED)];
    case 'OrderCancelled':
      return [setStatus(event, domain, OrderStatus.CANCELLED)];
    case 'OrderShipped':
      return [setStatus(event, domain, OrderStatus.SHIPPED)];
    case 'OrderDelivered':
      return [setStatus(event, domain, OrderStatus.DELIVERED)];
    default:
      return []; // not an order event
  }
}

export const orderSummariesProjection: Projection = {
  name: 'order-summaries',

  writesFor,

  async handle(tx, event) {
    await runStatements(tx, writesFor(event));
  },

  async reset(tx) {
    await tx.query('DELETE FROM order_summaries');
  },
};
