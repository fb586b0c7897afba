/** The `shipments` row and its API shape. */
import type { Address, Shipment, ShipmentItem, ShipmentStatus } from './domain/shipment';

export interface ShipmentRow {
  id: string;
  order_id: string;
  status: ShipmentStatus;
  tombstone: boolean;
  address: Address | null;
  items: ShipmentItem[] | null;
  request_hash: string | null;
  carrier: string | null;
  tracking_number: string | null;
  cancellation_reason: string | null;
  correlation_id: string;
  version: number;
  next_transition_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  dispatched_at: Date | string | null;
  delivered_at: Date | string | null;
  cancelled_at: Date | string | null;
}

export const SHIPMENT_COLUMNS = `id, order_id, status, tombstone, address, items, request_hash, carrier, tracking_number,
  cancellation_reason, correlation_id, version, next_transition_at, created_at, updated_at, dispatched_at,
  delivered_at, cancelled_at`;

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

export function toShipment(row: ShipmentRow): Shipment {
  return {
    id: row.id,
    orderId: row.order_id,
    status: row.status,
    tombstone: row.tombstone,
    address: row.address,
    items: row.items ?? [],
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    cancellationReason: row.cancellation_reason,
    version: row.version,
    nextTransitionAt: isoOrNull(row.next_transition_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    dispatchedAt: isoOrNull(row.dispatched_at),
    deliveredAt: isoOrNull(row.delivered_at),
    cancelledAt: isoOrNull(row.cancelled_at),
  };
}
