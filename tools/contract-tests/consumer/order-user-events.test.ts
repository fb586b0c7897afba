/**
 * order-service ← user-service and ← shipping-service: the events the order service consumes — UserRegistered keeps
 * its customer replica, Shipment* move a confirmed order on — handled by its real handlers on its own database.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import type { EventType } from '@shop/contracts';
import { runMigrations } from '@shop/db';
import { createTestDatabase, type TestDatabase } from '@shop/testing';
import { buildApp, type OrderApp } from '@shop/order-service/dist/app';
import { customerExists } from '@shop/order-service/dist/customers/customer-replica';
import { orderEventHandlers } from '@shop/order-service/dist/events/order-event-handlers';
import { migrations } from '@shop/order-service/dist/migrations';
import { CONTRACT_JWT_SECRET, eventEnvelopeLike, PACT_DIR, Pacticipant } from '../src';
import { advanceOrder } from '../support/order-lifecycle';
import { consumeEvent } from './support/consume-event';

const { like } = MatchersV3;

const fromUsers = new PactV4({
  consumer: Pacticipant.order,
  provider: Pacticipant.user,
  dir: PACT_DIR,
  logLevel: 'error',
});
const fromShipping = new PactV4({
  consumer: Pacticipant.order,
  provider: Pacticipant.shipping,
  dir: PACT_DIR,
  logLevel: 'error',
});

describe('order-service ← user-service and shipping-service events', () => {
  let db: TestDatabase;
  let app: OrderApp;

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    for (const dir of migrations) await runMigrations(db, dir);
    const nowhere = 'http://127.0.0.1:9'; // the saga never runs here: no participant is called
    app = await buildApp({
      db,
      logger: false,
      authentication: { secret: CONTRACT_JWT_SECRET },
      participants: { inventoryUrl: nowhere, paymentUrl: nowhere, shippingUrl: nowhere },
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const consume = (content: unknown) => consumeEvent(db, orderEventHandlers(app.orders), content);

  const expectsEvent = (
    pact: PactV4,
    eventType: EventType,
    aggregateId: string,
    aggregateVersion: number,
    data: object,
  ) =>
    pact
      .addAsynchronousInteraction()
      .expectsToReceive(`a ${eventType} event`, (message) =>
        message
          .withJSONContent(eventEnvelopeLike(eventType, { aggregateId, aggregateVersion, data }))
          .withMetadata({ eventType }),
      );

  it('adds a registered user to the customer replica', async () => {
    const userId = '0190a0a0-0000-7000-8000-0000000000d1';
    await expectsEvent(fromUsers, 'UserRegistered', userId, 1, {
      userId: like(userId),
      email: like('ada@example.com'),
      name: like('Ada'),
    }).executeTest(async (message) => {
      await consume(message.contents.content);
      expect(await customerExists(db, userId)).toBe(true);
    });
  });

  it('marks a confirmed order shipped when its shipment is dispatched', async () => {
    await advanceOrder(app, db, { orderId: 'order-dispatched', customerId: 'customer-1' }, 'CONFIRMED');
    await expectsEvent(fromShipping, 'ShipmentDispatched', 'shipment-1', 2, {
      shipmentId: like('shipment-1'),
      orderId: like('order-dispatched'),
      carrier: like('PostNL'),
      trackingNumber: like('RS0000000001'),
    }).executeTest(async (message) => {
      await consume(message.contents.content);
      expect(await app.orders.get('order-dispatched')).toMatchObject({
        status: 'SHIPPED',
        trackingNumber: 'RS0000000001',
      });
    });
  });

  it('marks a shipped order delivered', async () => {
    await advanceOrder(
      app,
      db,
      { orderId: 'order-delivered', customerId: 'customer-1', shipmentId: 'shipment-2' },
      'SHIPPED',
    );
    await expectsEvent(fromShipping, 'ShipmentDelivered', 'shipment-2', 3, {
      shipmentId: like('shipment-2'),
      orderId: like('order-delivered'),
    }).executeTest(async (message) => {
      await consume(message.contents.content);
      expect(await app.orders.get('order-delivered')).toMatchObject({ status: 'DELIVERED' });
    });
  });
});
