/**
 * user-service ← order-service: the Order* events the user service builds each customer's order history from,
 * handled by its real handlers (validated like the queue consumer validates them) on its own database.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { EventType } from '@shop/contracts';
import { runMigrations } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { migrations } from '@shop/user-service/dist/migrations';
import { listOrderHistory, orderHistoryHandlers } from '@shop/user-service/dist/order-history/order-history';
import { eventEnvelopeLike, PACT_DIR, Pacticipant } from '../src';
import { consumeEvent } from './support/consume-event';
import { moneyLike } from './support/matchers';

const { eachLike, integer, like } = MatchersV3;

const pact = new PactV4({ consumer: Pacticipant.user, provider: Pacticipant.order, dir: PACT_DIR, logLevel: 'error' });

const CUSTOMER = 'customer-1';
const orderRef = (orderId: string) => ({ orderId: like(orderId), customerId: like(CUSTOMER) });

describe('user-service ← order-service events', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    for (const dir of migrations) await runMigrations(db, dir);
  });
  afterAll(() => db?.close());

  /** One order event: the message content the user service expects, then what its history shows after handling it. */
  async function expectEvent(eventType: EventType, orderId: string, aggregateVersion: number, data: object) {
    let status: string | undefined;
    await pact
      .addAsynchronousInteraction()
      .expectsToReceive(`an ${eventType} event`, (message) =>
        message
          .withJSONContent(eventEnvelopeLike(eventType, { aggregateId: orderId, aggregateVersion, data }))
          .withMetadata({ eventType }),
      )
      .executeTest(async (message) => {
        await consumeEvent(db, orderHistoryHandlers, message.contents.content);
        status = (await listOrderHistory(db, CUSTOMER)).find((entry) => entry.orderId === orderId)?.status;
      });
    return status;
  }

  it('records a placed order with its total and item count', async () => {
    const status = await expectEvent('OrderPlaced', 'order-placed', 2, {
      ...orderRef('order-placed'),
      lines: eachLike({ sku: like('MUG'), quantity: integer(2), unitPrice: moneyLike(1250) }),
      total: moneyLike(2500),
    });
    expect(status).toBe('PLACED');
    expect((await listOrderHistory(db, CUSTOMER)).find((entry) => entry.orderId === 'order-placed')).toMatchObject({
      total: { amountMinor: 2500, currency: 'EUR' },
      itemCount: 2,
    });
  });

  it('marks an order confirmed', async () => {
    expect(await expectEvent('OrderConfirmed', 'order-confirmed', 4, orderRef('order-confirmed'))).toBe('CONFIRMED');
  });

  it('marks an order cancelled', async () => {
    const data = { ...orderRef('order-cancelled'), reason: like('payment declined') };
    expect(await expectEvent('OrderCancelled', 'order-cancelled', 3, data)).toBe('CANCELLED');
  });

  it('marks an order shipped', async () => {
    const data = { ...orderRef('order-shipped'), shipmentId: like('shipment-1'), trackingNumber: like('RS0000000001') };
    expect(await expectEvent('OrderShipped', 'order-shipped', 5, data)).toBe('SHIPPED');
  });

  it('marks an order delivered', async () => {
    const data = { ...orderRef('order-delivered'), shipmentId: like('shipment-1') };
    expect(await expectEvent('OrderDelivered', 'order-delivered', 6, data)).toBe('DELIVERED');
  });
});
