/**
 * The checkout, top to bottom (Online Boutique's PlaceOrder, as a saga):
 *
 *   0. createOrder        local     — POST /orders, in the transaction that starts this saga (place-order.ts: it is
 *                                     not an engine step because the saga cannot exist before it);
 *                                     undone by onCompensated: cancel the order (OrderCancelled with the reason)
 *   1. reserveInventory   compensatable — release the stock to undo. Inventory's answer prices the order.
 *   2. processPayment     pivot     — declined → undo 1 and 0; captured → only forward from here
 *   3. createShipment     retriable — retried until it succeeds
 *   4. confirmOrder       retriable — commit the reservation, then OrderConfirmed
 *
 * Each step's output is merged into the saga data and typed for the steps after it: `data.total` exists from step 2
 * on because step 1 returned it. Every hook runs inside the transaction that records the saga's progress, so the
 * order's events and the saga's state are committed together: a crash leaves both before or both after.
 */
import { defineSaga, type SagaPolicies, type StepPolicy } from '@shop/saga';
import { exponentialBackoff } from '@shop/resilience';
import type { EventMetadata } from '@shop/event-store';
import type { Address, OrderItem } from '../domain/order';
import type { Orders } from '../orders';
import { clearNeedsAttention, markNeedsAttention } from '../read-model/order-attention';
import { isParticipantRefusal, type Participants } from './participants';

export const PLACE_ORDER_SAGA = 'place-order';

/** Each attempt's backoff unless configuration overrides it (SAGA_RETRY_INITIAL_MS / SAGA_RETRY_MAX_MS). */
export const PLACE_ORDER_BACKOFF = { initialMs: 1_000, maxMs: 60_000 } as const;
const backoff = exponentialBackoff({ ...PLACE_ORDER_BACKOFF, jitter: 'full' });

/**
 * How long each attempt may take and how often a step is tried. Only compensatable steps give up (then the saga
 * compensates); the pivot and later steps are retried until they succeed. Configuration overrides these
 * (SAGA_STEP_TIMEOUT_MS…) for every step at once; see config.ts.
 */
export const placeOrderPolicies = {
  reserveInventory: { timeoutMs: 10_000, maxAttempts: 3, backoff },
  releaseInventory: { timeoutMs: 10_000, maxAttempts: 5, backoff },
  processPayment: { timeoutMs: 10_000, backoff },
  createShipment: { timeoutMs: 10_000, backoff },
  confirmOrder: { timeoutMs: 10_000, backoff },
} satisfies Record<string, Partial<StepPolicy>>;

/** What POST /orders knows when it starts the saga (step 0's output). */
export interface PlaceOrderInput {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  shippingAddress: Address;
  paymentMethod: string;
  /** The POST request's id: every event of this checkout carries it. */
  correlationId: string;
}

export interface PlaceOrderSagaDeps {
  orders: Orders;
  participants: Participants;
  /** From configuration: replaces fields of every step's policy above (invoke) and of the release (compensate). */
  overrides?: SagaPolicies;
}

export function placeOrderSaga({ orders, participants, overrides = {} }: PlaceOrderSagaDeps) {
  const traced = (data: PlaceOrderInput): EventMetadata => ({ correlationId: data.correlationId });
  const invoking = (policy: Partial<StepPolicy>) => ({ ...policy, ...overrides.invoke });

  return defineSaga<PlaceOrderInput>({
    name: PLACE_ORDER_SAGA,
    isBusinessFailure: isParticipantRefusal,
    onCompensated: (tx, data, reason) => orders.cancel(tx, data.orderId, reason, traced(data)),
    // NEEDS_ATTENTION reaches the order's read model through these two hooks (never by reading the saga's tables).
    onNeedsAttention: (tx, data, reason) => markNeedsAttention(tx, data.orderId, reason),
    onResumed: (tx, data) => clearNeedsAttention(tx, data.orderId),
  })
    .step({
      name: 'reserveInventory',
      kind: 'compensatable',
      policy: invoking(placeOrderPolicies.reserveInventory),
      compensationPolicy: { ...placeOrderPolicies.releaseInventory, ...overrides.compensate },
      // → { lines, total }: inventory's prices, which the order charges
      invoke: (data, call) => participants.reserveStock(data.orderId, data.items, call),
      onCompleted: (tx, data) => orders.price(tx, data.orderId, { lines: data.lines, total: data.total }, traced(data)),
      compensate: (data, call) => participants.releaseStock(data.orderId, 'order cancelled', call),
    })
    .step({
      name: 'processPayment',
      kind: 'pivot',
      policy: invoking(placeOrderPolicies.processPayment),
      // → { paymentId }: the captured payment
      invoke: (data, call) => participants.chargePayment(data, call),
      onCompleted: (tx, data) => orders.recordPayment(tx, data.orderId, data.paymentId, traced(data)),
    })
    .step({
      name: 'createShipment',
      kind: 'retriable',
      policy: invoking(placeOrderPolicies.createShipment),
      // → { shipmentId }
      invoke: (data, call) =>
        participants.createShipment({ orderId: data.orderId, address: data.shippingAddress, items: data.items }, call),
    })
    .step({
      name: 'confirmOrder',
      kind: 'retriable',
      policy: invoking(placeOrderPolicies.confirmOrder),
      invoke: (data, call) => participants.commitReservation(data.orderId, call),
      onCompleted: (tx, data) => orders.confirm(tx, data.orderId, data.shipmentId, traced(data)),
    });
}
