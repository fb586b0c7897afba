/**
 * The checkout, top to bottom (Online Boutique's PlaceOrder, as a saga):
 *
 *   0. create the order (local)  — done by POST /orders, in the same transaction that starts this saga;
 *                                  undone by onCompensated: cancel the order (OrderCancelled with the reason)
 *   1. reserve inventory         — compensatable: release the stock. Inventory's answer prices the order.
 *   2. process payment           — the pivot: declined → undo 1 and 0; captured → only forward from here
 *   3. create shipment           — retriable until it succeeds
 *   4. confirm order             — retriable: commit the reservation, then OrderConfirmed
 *
 * Every hook (onCompleted, onCompensated) runs inside the transaction that records the saga's progress, so the
 * order's events and the saga's state are committed together: a crash leaves both before or both after.
 */
import { defineSaga } from '@shop/saga';
import type { EventMetadata } from '@shop/event-store';
import type { Address, Money, OrderItem, PricedLine } from '../domain/order';
import type { Orders } from '../orders';
import { isParticipantRefusal, type Participants } from './participants';

export const PLACE_ORDER_SAGA = 'place-order';

/** The saga's persisted data: what POST /orders knew, plus what each step learned. */
export interface PlaceOrderData {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  shippingAddress: Address;
  paymentMethod: string;
  /** The POST request's id: every event of this checkout carries it. */
  correlationId: string;
  lines?: PricedLine[];
  total?: Money;
  paymentId?: string;
  shipmentId?: string;
}

export function placeOrderSaga({ orders, participants }: { orders: Orders; participants: Participants }) {
  const traced = (data: PlaceOrderData): EventMetadata => ({ correlationId: data.correlationId });

  return defineSaga<PlaceOrderData>({
    name: PLACE_ORDER_SAGA,
    isBusinessFailure: isParticipantRefusal,
    onCompensated: (tx, data, reason) => orders.cancel(tx, data.orderId, reason, traced(data)),
  })
    .step({
      name: 'reserveInventory',
      kind: 'compensatable',
      invoke: (data, call) => participants.reserveStock(data.orderId, data.items, call),
      onCompleted: (tx, data) =>
        orders.price(tx, data.orderId, { lines: data.lines!, total: data.total! }, traced(data)),
      compensate: (data, call) => participants.releaseStock(data.orderId, 'order cancelled', call),
    })
    .step({
      name: 'processPayment',
      kind: 'pivot',
      invoke: (data, call) => participants.chargePayment({ ...data, total: data.total! }, call),
      onCompleted: (tx, data) => orders.recordPayment(tx, data.orderId, data.paymentId!, traced(data)),
    })
    .step({
      name: 'createShipment',
      kind: 'retriable',
      invoke: (data, call) =>
        participants.createShipment({ orderId: data.orderId, address: data.shippingAddress, items: data.items }, call),
    })
    .step({
      name: 'confirmOrder',
      kind: 'retriable',
      invoke: (data, call) => participants.commitReservation(data.orderId, call),
      onCompleted: (tx, data) => orders.confirm(tx, data.orderId, data.shipmentId!, traced(data)),
    });
}
