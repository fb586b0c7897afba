/**
 * shipping-service verifies the pacts of its consumers against its real app: order-service's HTTP calls, and the
 * Shipment* events order-service consumes, produced by the real dispatcher and published by the real outbox relay.
 */
import { FakeClock } from '@shop/clock';
import type { ServiceApp } from '@shop/service-kit';
import { buildApp } from '@shop/shipping-service/dist/app';
import { runDispatchPass } from '@shop/shipping-service/dist/dispatch-pass';
import { migrationsDir } from '@shop/shipping-service/dist/migrations';
import { messagingMigrationsDir } from '@shop/messaging';
import { asPactMessage, CONTRACT_JWT_SECRET, Pacticipant, publishedEvent } from '../src';
import { itHonoursEveryPact } from './support/honours-every-pact';
import { expectStatus } from './support/expect-status';
import { stringParam } from './support/params';
import { providerDatabase, type ProviderDatabase } from './support/provider-database';
import { asService } from './support/service-caller';

const schedule = { dispatchDelayMs: 60_000, deliveryDelayMs: 120_000 };
const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };

describe('shipping-service', () => {
  let database: ProviderDatabase;
  let clock: FakeClock;
  let app: ServiceApp;

  beforeAll(async () => {
    database = await providerDatabase([messagingMigrationsDir, migrationsDir], ['shipments']);
    clock = new FakeClock(Date.parse('2030-01-01T00:00:00.000Z'));
    app = await buildApp({
      db: database.db,
      schedule,
      clock,
      logger: false,
      authentication: { secret: CONTRACT_JWT_SECRET },
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.db.close();
  });

  const createShipment = async (orderId: string) =>
    expectStatus(
      await app.inject({
        method: 'POST',
        url: '/shipments',
        headers: asService('order-service'),
        payload: { orderId, address, items: [{ sku: 'MUG', quantity: 2 }] },
      }),
      201,
    );

  /** The dispatcher's move, as main.ts's poll would make it once the fake clock reaches the due time. */
  const dispatchDue = async (afterMs: number) => {
    await clock.advance(afterMs);
    await runDispatchPass({ db: database.db, schedule, carrier: 'PostNL', batchSize: 10 }, clock.now());
  };

  itHonoursEveryPact(Pacticipant.shipping, () => ({
    app,
    beforeEach: () => database.reset(),
    stateHandlers: {
      'an order with a shipment': async (params) => {
        await createShipment(stringParam(params, 'orderId'));
      },
      'an order whose shipment was dispatched': async (params) => {
        await createShipment(stringParam(params, 'orderId'));
        await dispatchDue(schedule.dispatchDelayMs);
      },
    },
    messageProviders: {
      'a ShipmentDispatched event': async () => {
        await createShipment('order-dispatched');
        await dispatchDue(schedule.dispatchDelayMs);
        return asPactMessage(await publishedEvent(database.db, 'ShipmentDispatched'));
      },
      'a ShipmentDelivered event': async () => {
        await createShipment('order-delivered');
        await dispatchDue(schedule.dispatchDelayMs);
        await dispatchDue(schedule.deliveryDelayMs);
        return asPactMessage(await publishedEvent(database.db, 'ShipmentDelivered'));
      },
    },
  }));
});
