/**
 * The shipment state machine, as pure data: what the dispatcher does next, and which states a cancel may leave.
 *
 *   CREATED ──dispatch delay──► DISPATCHED ──delivery delay──► DELIVERED
 *      └──cancel──► CANCELLED
 */
import { ShipmentStatus } from './shipment';

export interface ShippingSchedule {
  /** From creation to dispatch. */
  readonly dispatchDelayMs: number;
  /** From dispatch to delivery. */
  readonly deliveryDelayMs: number;
}

export type TimedTransition =
  | { readonly to: typeof ShipmentStatus.DISPATCHED; readonly nextDelayMs: number }
  | { readonly to: typeof ShipmentStatus.DELIVERED; readonly nextDelayMs: null };

/** The dispatcher's move for a shipment in `status`, or undefined when nothing happens by itself any more. */
export function timedTransition(status: ShipmentStatus, schedule: ShippingSchedule): TimedTransition | undefined {
  if (status === ShipmentStatus.CREATED)
    return { to: ShipmentStatus.DISPATCHED, nextDelayMs: schedule.deliveryDelayMs };
  if (status === ShipmentStatus.DISPATCHED) return { to: ShipmentStatus.DELIVERED, nextDelayMs: null };
  return undefined;
}

/** A carrier's tracking number, derived from the shipment id so a re-run transition produces the same one. */
export function trackingNumberFor(shipmentId: string): string {
  return `RS${shipmentId.replace(/-/g, '').slice(-12).toUpperCase()}`;
}
