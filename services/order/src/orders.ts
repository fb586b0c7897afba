/**
 * The order commands, each run inside a caller's transaction (the POST request's, a saga hook's, a consumer's), so
 * the order's events, its read model, its integration events (the outbox) and the caller's own writes (saga state,
 * inbox) commit together. This is the only place that appends to an order stream.
 */
import { systemClock, type Clock } from '@shop/clock';
import type { EventMetadata as LogMetadata, EventStore } from '@shop/event-store';
import { foldEvents, handleCommand } from '@shop/event-store';
import type { Queryable } from '@shop/db';
import { outboxInsert } from '@shop/messaging';
import {
  orderDecider,
  type Address,
  type Money,
  type Order,
  type OrderCommand,
  type OrderEvent,
  type OrderItem,
  type PricedLine,
} from './domain/order';
import { toIntegrationEvents } from './events/integration-events';

export class OrderNotFoundError extends Error {
  override readonly name = 'OrderNotFoundError';
  constructor(readonly orderId: string) {
    super(`No order ${orderId}`);
  }
}

export interface NewOrder {
  orderId: string;
  customerId: string;
  items: OrderItem[];
  shippingAddress: Address;
}

export interface OrdersOptions {
  /** Stamps the commands' `now`; a FakeClock in tests. Default: the system clock. */
  clock?: Clock;
}

export class Orders {
  private readonly clock: Clock;

  constructor(
    readonly store: EventStore,
    options: OrdersOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  create(tx: Queryable, order: NewOrder, metadata: LogMetadata): Promise<void> {
    return this.run(
      tx,
      order.orderId,
      orderDecider,
      { type: 'CreateOrder', data: { ...order, now: this.stamp() } },
      metadata,
      () => order.customerId,
    );
  }

  price(tx: Queryable, orderId: string, priced: { lines: PricedLine[]; total: Money }, metadata: LogMetadata) {
    return this.execute(tx, orderId, { type: 'PriceOrder', data: { ...priced, now: this.stamp() } }, metadata);
  }

  recordPayment(tx: Queryable, orderId: string, paymentId: string, metadata: LogMetadata) {
    return this.execute(tx, orderId, { type: 'RecordPayment', data: { paymentId, now: this.stamp() } }, metadata);
  }

  confirm(tx: Queryable, orderId: string, shipmentId: string, metadata: LogMetadata) {
    return this.execute(tx, orderId, { type: 'ConfirmOrder', data: { shipmentId, now: this.stamp() } }, metadata);
  }

  cancel(tx: Queryable, orderId: string, reason: string, metadata: LogMetadata) {
    return this.execute(tx, orderId, { type: 'CancelOrder', data: { reason, now: this.stamp() } }, metadata);
  }

  markShipped(
    tx: Queryable,
    orderId: string,
    shipment: { shipmentId: string; carrier: string; trackingNumber: string },
    metadata: LogMetadata,
  ) {
    return this.execute(tx, orderId, { type: 'MarkShipped', data: { ...shipment, now: this.stamp() } }, metadata);
  }

  markDelivered(tx: Queryable, orderId: string, shipmentId: string, metadata: LogMetadata) {
    return this.execute(tx, orderId, { type: 'MarkDelivered', data: { shipmentId, now: this.stamp() } }, metadata);
  }

  /** The order as its events say now (strongly consistent, unlike the read model), or undefined. */
  async get(orderId: string, tx?: Queryable): Promise<(Order & { version: number }) | undefined> {
    const { events, currentVersion } = await this.store.readStream(orderId, tx ? { tx } : {});
    const state = foldEvents(
      orderDecider,
      events.map((event) => ({ type: event.type, data: event.data }) as OrderEvent),
    );
    return state.status === 'NONE' ? undefined : { ...state, version: currentVersion };
  }

  /**
   * Commands on an existing order. Two writers of one order (a saga hook and a consumer) queue up on the stream's
   * lock, which `handleCommand` takes before it reads: the write side never looks at the read model. The decider is
   * wrapped so the state `handleCommand` loaded also answers "does it exist, whose is it" — no second read.
   */
  private async execute(tx: Queryable, orderId: string, command: OrderCommand, metadata: LogMetadata): Promise<void> {
    let customerId = '';
    const existingOrder: typeof orderDecider = {
      ...orderDecider,
      decide: (existingCommand, state) => {
        if (state.status === 'NONE') throw new OrderNotFoundError(orderId);
        customerId = state.customerId;
        return orderDecider.decide(existingCommand, state);
      },
    };
    await this.run(tx, orderId, existingOrder, command, metadata, () => customerId);
  }

  private async run(
    tx: Queryable,
    orderId: string,
    decider: typeof orderDecider,
    command: OrderCommand,
    metadata: LogMetadata,
    customerId: () => string,
  ) {
    await handleCommand(this.store, decider, orderId, command, {
      tx,
      metadata,
      // The log is the outbox's source: integration events are enqueued with the append itself — no dual write, and
      // sent in the insert's own statement (one round trip for the events, the read model and the outbox).
      alsoWrite: (events) => outboxInsert(toIntegrationEvents(events, customerId())),
    });
  }

  private stamp(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
