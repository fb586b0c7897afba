/**
 * order-service verifies the pacts of its consumers against its real app, authentication on: the gateway's HTTP
 * calls, and the Order* events user-service consumes — appended by the order service's own commands (event store →
 * integration events → outbox, in one transaction) and published by the real outbox relay.
 */
import { createEvent, type EventType } from '@shop/contracts';
import { buildApp, type OrderApp } from '@shop/order-service/dist/app';
import { applyCustomerSnapshot } from '@shop/order-service/dist/customers/customer-replica';
import { migrations } from '@shop/order-service/dist/migrations';
import { asPactMessage, CONTRACT_JWT_SECRET, Pacticipant, publishedEvent, type MessageProvider } from '../src';
import { itHonoursEveryPact } from './support/honours-every-pact';
import { advanceOrder, type OrderStage } from '../support/order-lifecycle';
import { stringParam } from './support/params';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';

describe('order-service', () => {
  let database: ProviderDatabase;
  let app: OrderApp;

  beforeAll(async () => {
    database = await providerDatabase(migrations, [
      'customers',
      'order_summaries',
      'order_requests',
      'event_store_events',
      'event_store_checkpoints',
      'saga_instances',
      'saga_step_log',
    ]);
    const nowhere = 'http://127.0.0.1:9'; // the saga worker is not started: no participant is called
    app = await buildApp({
      db: database.db,
      logger: false,
      authentication: { secret: CONTRACT_JWT_SECRET },
      participants: { inventoryUrl: nowhere, paymentUrl: nowhere, shippingUrl: nowhere },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  /** The replica learns customers from UserRegistered: feed it one through the order service's own handler code. */
  const knownCustomer = (customerId: string) =>
    applyCustomerSnapshot(
      database.db,
      createEvent({
        eventType: 'UserRegistered',
        aggregateId: customerId,
        aggregateVersion: 1,
        data: { userId: customerId, email: 'ada@example.com', name: 'Ada' },
        metadata: { correlationId: 'contract-tests' },
      }),
    );

  /** The order moved to `stage` by the order's own commands, then the event the relay published for it. */
  const orderEvent =
    (eventType: EventType, stage: OrderStage): MessageProvider =>
    async () => {
      await advanceOrder(
        app,
        database.db,
        { orderId: `order-${stage.toLowerCase()}`, customerId: 'customer-1' },
        stage,
      );
      return asPactMessage(await publishedEvent(database.db, eventType));
    };

  itHonoursEveryPact(Pacticipant.order, () => ({
    app,
    beforeEach: () => database.reset(),
    stateHandlers: {
      'a customer known to the order service': async (params) => {
        await knownCustomer(stringParam(params, 'customerId'));
      },
      'an order of the customer': async (params) => {
        const customerId = stringParam(params, 'customerId');
        await knownCustomer(customerId);
        await advanceOrder(app, database.db, { orderId: stringParam(params, 'orderId'), customerId }, 'PLACED');
      },
    },
    messageProviders: {
      'an OrderPlaced event': orderEvent('OrderPlaced', 'PLACED'),
      'an OrderConfirmed event': orderEvent('OrderConfirmed', 'CONFIRMED'),
      'an OrderCancelled event': orderEvent('OrderCancelled', 'CANCELLED'),
      'an OrderShipped event': orderEvent('OrderShipped', 'SHIPPED'),
      'an OrderDelivered event': orderEvent('OrderDelivered', 'DELIVERED'),
    },
  }));
});
