/**
 * The Order aggregate as a decider: `decide(command, state) → events` and `evolve(state, event) → state`, both pure.
 * Time arrives in the commands (`now`), never from a clock read here. The event log of an order is its only truth;
 * read models and integration events are derived from it.
 *
 *   PENDING ──► CONFIRMED ──► SHIPPED ──► DELIVERED
 *      └──────► CANCELLED
 */
import type { Decider } from '@shop/event-store';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface OrderItem {
  sku: string;
  quantity: number;
}

/** A line as inventory priced it when reserving: the price the customer pays, whatever the catalogue says later. */
export interface PricedLine extends OrderItem {
  unitPrice: Money;
  lineTotal: Money;
}

export interface Address {
  name?: string;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

export const OrderStatus = {
  PENDING: 'PENDING',
  CONFIRMED: 'CONFIRMED',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

export type OrderCommand =
  | {
      type: 'CreateOrder';
      data: { orderId: string; customerId: string; items: OrderItem[]; shippingAddress: Address; now: string };
    }
  | { type: 'PriceOrder'; data: { lines: PricedLine[]; total: Money; now: string } }
  | { type: 'RecordPayment'; data: { paymentId: string; now: string } }
  | { type: 'ConfirmOrder'; data: { shipmentId: string; now: string } }
  | { type: 'CancelOrder'; data: { reason: string; now: string } }
  | { type: 'MarkShipped'; data: { shipmentId: string; carrier: string; trackingNumber: string; now: string } }
  | { type: 'MarkDelivered'; data: { shipmentId: string; now: string } };

export type OrderEvent =
  | {
      type: 'OrderCreated';
      data: { orderId: string; customerId: string; items: OrderItem[]; shippingAddress: Address; createdAt: string };
    }
  | { type: 'OrderPriced'; data: { lines: PricedLine[]; total: Money; pricedAt: string } }
  | { type: 'OrderPaid'; data: { paymentId: string; paidAt: string } }
  | { type: 'OrderConfirmed'; data: { shipmentId: string; confirmedAt: string } }
  | { type: 'OrderCancelled'; data: { reason: string; cancelledAt: string } }
  | { type: 'OrderShipped'; data: { shipmentId: string; carrier: string; trackingNumber: string; shippedAt: string } }
  | { type: 'OrderDelivered'; data: { shipmentId: string; deliveredAt: string } };

export type OrderEventType = OrderEvent['type'];

export interface Order {
  status: OrderStatus;
  orderId: string;
  customerId: string;
  items: OrderItem[];
  shippingAddress: Address;
  lines: PricedLine[] | null;
  total: Money | null;
  paymentId: string | null;
  shipmentId: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  cancellationReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type OrderState = { status: 'NONE' } | Order;

/** The command contradicts the order's history (e.g. confirming a cancelled order): retrying cannot help. */
export class OrderRuleViolated extends Error {
  override readonly name = 'OrderRuleViolated';
}

/** The command is valid but early (a shipment event before the order is confirmed): retry it later. */
export class OrderNotReadyError extends Error {
  override readonly name = 'OrderNotReadyError';
}

function existing(state: OrderState, command: OrderCommand['type']): Order {
  if (state.status === 'NONE') throw new OrderRuleViolated(`${command}: the order does not exist`);
  return state;
}

const sameSkus = (items: readonly OrderItem[], lines: readonly OrderItem[]) =>
  items.length === lines.length &&
  items.every((item) => lines.some((line) => line.sku === item.sku && line.quantity === item.quantity));

export function decide(command: OrderCommand, state: OrderState): OrderEvent[] {
  if (command.type === 'CreateOrder') {
    if (state.status !== 'NONE') throw new OrderRuleViolated(`order ${command.data.orderId} already exists`);
    const { now, ...data } = command.data;
    return [{ type: 'OrderCreated', data: { ...data, createdAt: now } }];
  }
  const order = existing(state, command.type);
  switch (command.type) {
    case 'PriceOrder': {
      // Repeats (a step re-run after a crash) change nothing.
      if (order.total) return [];
      if (order.status !== OrderStatus.PENDING) throw new OrderRuleViolated(`cannot price a ${order.status} order`);
      if (!sameSkus(order.items, command.data.lines)) throw new OrderRuleViolated('priced lines differ from the order');
      const { now, ...priced } = command.data;
      return [{ type: 'OrderPriced', data: { ...priced, pricedAt: now } }];
    }
    case 'RecordPayment':
      if (order.paymentId) return [];
      if (order.status !== OrderStatus.PENDING || !order.total) {
        throw new OrderRuleViolated(
          `cannot record a payment on a ${order.status} order${order.total ? '' : ' without a price'}`,
        );
      }
      return [{ type: 'OrderPaid', data: { paymentId: command.data.paymentId, paidAt: command.data.now } }];
    case 'ConfirmOrder':
      if (order.status === OrderStatus.CANCELLED) throw new OrderRuleViolated('cannot confirm a cancelled order');
      if (order.status !== OrderStatus.PENDING) return [];
      if (!order.paymentId) throw new OrderRuleViolated('cannot confirm an unpaid order');
      return [{ type: 'OrderConfirmed', data: { shipmentId: command.data.shipmentId, confirmedAt: command.data.now } }];
    case 'CancelOrder':
      if (order.status === OrderStatus.CANCELLED) return [];
      if (order.status !== OrderStatus.PENDING) throw new OrderRuleViolated(`cannot cancel a ${order.status} order`);
      return [{ type: 'OrderCancelled', data: { reason: command.data.reason, cancelledAt: command.data.now } }];
    case 'MarkShipped': {
      if (order.status === OrderStatus.SHIPPED || order.status === OrderStatus.DELIVERED) return [];
      if (order.status === OrderStatus.PENDING) throw new OrderNotReadyError('the order is not confirmed yet');
      if (order.status === OrderStatus.CANCELLED) throw new OrderRuleViolated('a cancelled order cannot ship');
      const { now, ...shipped } = command.data;
      return [{ type: 'OrderShipped', data: { ...shipped, shippedAt: now } }];
    }
    case 'MarkDelivered':
      if (order.status === OrderStatus.DELIVERED) return [];
      if (order.status === OrderStatus.CANCELLED) throw new OrderRuleViolated('a cancelled order cannot be delivered');
      // Queues do not keep order: "delivered" may overtake "dispatched". It is applied once the order has shipped.
      if (order.status !== OrderStatus.SHIPPED)
        throw new OrderNotReadyError(`the order is ${order.status}, not shipped yet`);
      return [{ type: 'OrderDelivered', data: { shipmentId: command.data.shipmentId, deliveredAt: command.data.now } }];
  }
}

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderCreated') {
    const { createdAt, ...data } = event.data;
    return {
      ...data,
      status: OrderStatus.PENDING,
      lines: null,
      total: null,
      paymentId: null,
      shipmentId: null,
      carrier: null,
      trackingNumber: null,
      cancellationReason: null,
      createdAt,
      updatedAt: createdAt,
    };
  }
  if (state.status === 'NONE') return state; // an event without its creation: nothing to apply it to
  switch (event.type) {
    case 'OrderPriced':
      return { ...state, lines: event.data.lines, total: event.data.total, updatedAt: event.data.pricedAt };
    case 'OrderPaid':
      return { ...state, paymentId: event.data.paymentId, updatedAt: event.data.paidAt };
    case 'OrderConfirmed':
      return {
        ...state,
        status: OrderStatus.CONFIRMED,
        shipmentId: event.data.shipmentId,
        updatedAt: event.data.confirmedAt,
      };
    case 'OrderCancelled':
      return {
        ...state,
        status: OrderStatus.CANCELLED,
        cancellationReason: event.data.reason,
        updatedAt: event.data.cancelledAt,
      };
    case 'OrderShipped':
      return {
        ...state,
        status: OrderStatus.SHIPPED,
        shipmentId: event.data.shipmentId,
        carrier: event.data.carrier,
        trackingNumber: event.data.trackingNumber,
        updatedAt: event.data.shippedAt,
      };
    case 'OrderDelivered':
      return { ...state, status: OrderStatus.DELIVERED, updatedAt: event.data.deliveredAt };
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'NONE' }),
};
