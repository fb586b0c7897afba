/**
 * One dispatcher pass: moves every shipment whose `next_transition_at` has come (by the injected clock) one step
 * along CREATED → DISPATCHED → DELIVERED, with its event, in one transaction. `FOR UPDATE SKIP LOCKED` lets several
 * dispatchers (replicas, or an old and a new process during a restart) share the work without taking a shipment
 * twice, and makes a concurrent cancel either win before the lock or find the shipment already dispatched.
 */
import type { EventEnvelope } from '@shop/contracts';
import type { Database } from '@shop/db';
import { enqueueEvents } from '@shop/messaging';
import { timedTransition, trackingNumberFor, type ShippingSchedule } from './domain/lifecycle';
import { ShipmentStatus } from './domain/shipment';
import { shipmentEvent } from './shipment-events';
import { SHIPMENT_COLUMNS, toShipment, type ShipmentRow } from './shipment-row';

export interface DispatchPassOptions {
  readonly db: Database;
  readonly schedule: ShippingSchedule;
  readonly carrier: string;
  readonly batchSize: number;
}

/** Returns how many shipments moved (a full batch means more may be due). */
export async function runDispatchPass(options: DispatchPassOptions, nowMs: number): Promise<number> {
  const now = new Date(nowMs);
  return options.db.transaction(async (tx) => {
    const due = await tx.query<ShipmentRow>(
      `SELECT ${SHIPMENT_COLUMNS} FROM shipments
        WHERE next_transition_at <= $1
        ORDER BY next_transition_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, options.batchSize],
    );
    const events: EventEnvelope[] = [];
    for (const row of due.rows) {
      const transition = timedTransition(row.status, options.schedule);
      if (!transition) continue; // excluded by the table's CHECK; kept for the type checker
      const { rows } =
        transition.to === ShipmentStatus.DISPATCHED
          ? await tx.query<ShipmentRow>(
              `UPDATE shipments SET status = 'DISPATCHED', carrier = $2, tracking_number = $3, dispatched_at = $4,
                      updated_at = $4, next_transition_at = $5, version = version + 1
                WHERE id = $1 RETURNING ${SHIPMENT_COLUMNS}`,
              [row.id, options.carrier, trackingNumberFor(row.id), now, new Date(nowMs + transition.nextDelayMs)],
            )
          : await tx.query<ShipmentRow>(
              `UPDATE shipments SET status = 'DELIVERED', delivered_at = $2, updated_at = $2,
                      next_transition_at = NULL, version = version + 1
                WHERE id = $1 RETURNING ${SHIPMENT_COLUMNS}`,
              [row.id, now],
            );
      // The shipment's own correlation id: its events join the order flow that created it.
      events.push(shipmentEvent(toShipment(rows[0]!), { metadata: { correlationId: row.correlation_id }, now }));
    }
    await enqueueEvents(tx, events);
    return events.length;
  });
}
