/** The Order aggregate as specifications: given these events, when this command, then these events (or this error). */
import { DeciderSpecification } from '@shop/event-store/testing';
import { orderDecider, OrderNotReadyError, OrderRuleViolated, type OrderEvent } from '../src/domain/order';

import { address, created, eur, items, lines, now } from './support/order-fixtures';

const spec = DeciderSpecification.for(orderDecider);
const priced: OrderEvent = { type: 'OrderPriced', data: { lines, total: eur(1_000), pricedAt: now } };
const paid: OrderEvent = { type: 'OrderPaid', data: { paymentId: 'p-1', paidAt: now } };
const confirmed: OrderEvent = { type: 'OrderConfirmed', data: { shipmentId: 's-1', confirmedAt: now } };
const cancelled: OrderEvent = { type: 'OrderCancelled', data: { reason: 'declined', cancelledAt: now } };
const shipped: OrderEvent = {
  type: 'OrderShipped',
  data: { shipmentId: 's-1', carrier: 'Parcel', trackingNumber: 'RS1', shippedAt: now },
};

describe('creating', () => {
  it('creates a pending order', () =>
    spec
      .given([])
      .when({ type: 'CreateOrder', data: { orderId: 'o-1', customerId: 'c-1', items, shippingAddress: address, now } })
      .then([created]));

  it('refuses to create an order twice', () =>
    spec
      .given([created])
      .when({ type: 'CreateOrder', data: { orderId: 'o-1', customerId: 'c-1', items, shippingAddress: address, now } })
      .thenThrows(OrderRuleViolated));

  it('refuses commands on an order that does not exist', () =>
    spec
      .given([])
      .when({ type: 'CancelOrder', data: { reason: 'x', now } })
      .thenThrows(OrderRuleViolated));
});

describe('the checkout steps', () => {
  it('takes inventory’s prices once; a repeat changes nothing', () => {
    spec
      .given([created])
      .when({ type: 'PriceOrder', data: { lines, total: eur(1_000), now } })
      .then([priced]);
    spec
      .given([created, priced])
      .when({ type: 'PriceOrder', data: { lines, total: eur(1_000), now } })
      .then([]);
  });

  it('refuses prices for other items than ordered', () =>
    spec
      .given([created])
      .when({ type: 'PriceOrder', data: { lines: [{ ...lines[0]!, quantity: 3 }], total: eur(1_500), now } })
      .thenThrows(OrderRuleViolated));

  it('records a payment only on a priced order', () => {
    spec
      .given([created])
      .when({ type: 'RecordPayment', data: { paymentId: 'p-1', now } })
      .thenThrows(OrderRuleViolated);
    spec
      .given([created, priced])
      .when({ type: 'RecordPayment', data: { paymentId: 'p-1', now } })
      .then([paid]);
    spec
      .given([created, priced, paid])
      .when({ type: 'RecordPayment', data: { paymentId: 'p-1', now } })
      .then([]);
  });

  it('confirms a paid order once', () => {
    spec
      .given([created, priced, paid])
      .when({ type: 'ConfirmOrder', data: { shipmentId: 's-1', now } })
      .then([confirmed]);
    spec
      .given([created, priced, paid, confirmed])
      .when({ type: 'ConfirmOrder', data: { shipmentId: 's-1', now } })
      .then([]);
    spec
      .given([created, priced])
      .when({ type: 'ConfirmOrder', data: { shipmentId: 's-1', now } })
      .thenThrows(OrderRuleViolated);
  });

  it('cancels a pending order once, with the reason, and never a confirmed one', () => {
    spec
      .given([created, priced])
      .when({ type: 'CancelOrder', data: { reason: 'declined', now } })
      .then([cancelled]);
    spec
      .given([created, cancelled])
      .when({ type: 'CancelOrder', data: { reason: 'again', now } })
      .then([]);
    spec
      .given([created, priced, paid, confirmed])
      .when({ type: 'CancelOrder', data: { reason: 'late', now } })
      .thenThrows(OrderRuleViolated, (error) => expect(error.message).toMatch(/CONFIRMED/));
    spec
      .given([created, cancelled])
      .when({ type: 'ConfirmOrder', data: { shipmentId: 's-1', now } })
      .thenThrows(OrderRuleViolated);
  });
});

describe('shipment progress', () => {
  const ship = {
    type: 'MarkShipped' as const,
    data: { shipmentId: 's-1', carrier: 'Parcel', trackingNumber: 'RS1', now },
  };
  const deliver = { type: 'MarkDelivered' as const, data: { shipmentId: 's-1', now } };
  const delivered: OrderEvent = { type: 'OrderDelivered', data: { shipmentId: 's-1', deliveredAt: now } };

  it('ships and delivers a confirmed order, each once', () => {
    spec.given([created, priced, paid, confirmed]).when(ship).then([shipped]);
    spec.given([created, priced, paid, confirmed, shipped]).when(ship).then([]);
    spec.given([created, priced, paid, confirmed, shipped]).when(deliver).then([delivered]);
    spec.given([created, priced, paid, confirmed, shipped, delivered]).when(deliver).then([]);
  });

  it('asks to be retried when the news arrives early (not confirmed yet, delivered before dispatched)', () => {
    spec.given([created, priced, paid]).when(ship).thenThrows(OrderNotReadyError);
    spec.given([created, priced, paid, confirmed]).when(deliver).thenThrows(OrderNotReadyError);
  });

  it('never ships a cancelled order', () => spec.given([created, cancelled]).when(ship).thenThrows(OrderRuleViolated));
});

it('folds the history into the order', () => {
  const state = [created, priced, paid, confirmed, shipped].reduce(orderDecider.evolve, orderDecider.initialState());
  expect(state).toMatchObject({
    status: 'SHIPPED',
    total: eur(1_000),
    paymentId: 'p-1',
    shipmentId: 's-1',
    trackingNumber: 'RS1',
    cancellationReason: null,
  });
});
