/**
 * What the invariant checker looks at: every service's state as its own API (or database) reports it, gathered
 * into one plain value so the checks themselves are pure functions (`check-invariants.ts`).
 */
export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED' | 'NEEDS_ATTENTION';

export interface OrderState {
  id: string;
  status: OrderStatus | string;
  /** The saga's parking reason when it is NEEDS_ATTENTION. */
  attentionReason?: string;
  items: { sku: string; quantity: number }[];
}

export interface ReservationState {
  orderId: string;
  status: 'reserved' | 'committed' | 'released';
  tombstone: boolean;
  lines: { sku: string; quantity: number }[];
}

export interface PaymentState {
  orderId: string;
  id: string;
  status: 'captured' | 'declined' | 'refunded';
}

export interface ShipmentState {
  orderId: string;
  id: string;
  status: 'CREATED' | 'DISPATCHED' | 'DELIVERED' | 'CANCELLED';
  tombstone: boolean;
}

export interface ProductStock {
  sku: string;
  /** Reservable units. */
  stock: number;
  /** Units held by reservations not yet committed or released. */
  reserved: number;
}

export interface QueueDepth {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
}

export interface SystemState {
  orders: OrderState[];
  /** Stock per sku when the run started (before any order). */
  initialStock: Record<string, number>;
  products: ProductStock[];
  reservations: ReservationState[];
  payments: PaymentState[];
  shipments: ShipmentState[];
  queues: QueueDepth[];
  /** Unpublished outbox rows per service (read from the databases once the services have stopped). */
  outboxPending: Record<string, number>;
}
