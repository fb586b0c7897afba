/** The integration events a reservation's transitions publish, built from @shop/contracts so the outbox validates them. */
import { createEvent, type EventMetadata, type EventOf } from '@shop/contracts';
import type { Reservation } from './domain/reservation';

/** Who asked: copied into every event's metadata so a trace can follow an order across services. */
export type EventContext = EventMetadata;

const itemsOf = (reservation: Reservation) => reservation.lines.map(({ sku, quantity }) => ({ sku, quantity }));

export function stockReserved(reservation: Reservation, context: EventContext, now: Date): EventOf<'StockReserved'> {
  return createEvent(
    {
      eventType: 'StockReserved',
      aggregateId: reservation.id,
      aggregateVersion: reservation.version,
      data: { reservationId: reservation.id, orderId: reservation.orderId, items: itemsOf(reservation) },
      metadata: context,
    },
    { now: () => now },
  );
}

export function stockReleased(
  reservation: Reservation,
  reason: string,
  context: EventContext,
  now: Date,
): EventOf<'StockReleased'> {
  return createEvent(
    {
      eventType: 'StockReleased',
      aggregateId: reservation.id,
      aggregateVersion: reservation.version,
      data: { reservationId: reservation.id, orderId: reservation.orderId, items: itemsOf(reservation), reason },
      metadata: context,
    },
    { now: () => now },
  );
}
