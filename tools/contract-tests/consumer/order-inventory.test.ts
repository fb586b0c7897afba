/**
 * order-service → inventory-service: the saga's reserve / release / commit calls, through the order service's own
 * participant client. Reservations are addressed by orderId; inventory's answer prices the order.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { PACT_DIR, Pacticipant } from '../src';
import {
  anyIdempotencyKey,
  JSON_CONTENT,
  moneyLike,
  PROBLEM_CONTENT,
  problemOfType,
  serviceAuthorization,
} from './support/matchers';
import { orderParticipants, stepCall } from './support/order-participants';

const { eachLike } = MatchersV3;

const pact = new PactV4({
  consumer: Pacticipant.order,
  provider: Pacticipant.inventory,
  dir: PACT_DIR,
  logLevel: 'error',
});

const headers = (key: string) => ({
  authorization: serviceAuthorization(Pacticipant.order),
  'idempotency-key': anyIdempotencyKey(key),
});

describe('order-service → inventory-service', () => {
  it('reserves stock and learns the prices', async () => {
    await pact
      .addInteraction()
      .given('a product with stock', { sku: 'MUG', stock: 10, unitPriceMinor: 1250, currency: 'EUR' })
      .uponReceiving('a reservation of 2 MUG for an order')
      .withRequest('POST', '/reservations', (request) =>
        request
          .headers(headers('order-1:reserveInventory'))
          .jsonBody({ orderId: 'order-1', items: [{ sku: 'MUG', quantity: 2 }] }),
      )
      .willRespondWith(201, (response) =>
        response.headers(JSON_CONTENT).jsonBody({
          lines: eachLike({ sku: 'MUG', quantity: 2, unitPrice: moneyLike(1250), lineTotal: moneyLike(2500) }),
          total: moneyLike(2500),
        }),
      )
      .executeTest(async (server) => {
        const reservation = await orderParticipants(server.url).reserveStock(
          'order-1',
          [{ sku: 'MUG', quantity: 2 }],
          stepCall('order-1:reserveInventory'),
        );
        expect(reservation).toEqual({
          lines: [
            {
              sku: 'MUG',
              quantity: 2,
              unitPrice: { amountMinor: 1250, currency: 'EUR' },
              lineTotal: { amountMinor: 2500, currency: 'EUR' },
            },
          ],
          total: { amountMinor: 2500, currency: 'EUR' },
        });
      });
  });

  it('is refused when stock is short: a business failure, not a retry', async () => {
    await pact
      .addInteraction()
      .given('a product with stock', { sku: 'MUG', stock: 1, unitPriceMinor: 1250, currency: 'EUR' })
      .uponReceiving('a reservation of more MUG than in stock')
      .withRequest('POST', '/reservations', (request) =>
        request
          .headers(headers('order-2:reserveInventory'))
          .jsonBody({ orderId: 'order-2', items: [{ sku: 'MUG', quantity: 5 }] }),
      )
      .willRespondWith(409, (response) =>
        response.headers(PROBLEM_CONTENT).jsonBody(problemOfType('insufficient-stock')),
      )
      .executeTest(async (server) => {
        const reserving = orderParticipants(server.url).reserveStock(
          'order-2',
          [{ sku: 'MUG', quantity: 5 }],
          stepCall('order-2:reserveInventory'),
        );
        await expect(reserving).rejects.toMatchObject({
          name: 'ParticipantRefusedError',
          status: 409,
          problemType: expect.stringMatching(/\/insufficient-stock$/),
        });
      });
  });

  it('releases a reservation (compensation)', async () => {
    await pact
      .addInteraction()
      .given('an order with reserved stock', { orderId: 'order-3', sku: 'MUG', quantity: 2 })
      .uponReceiving('a release of the reservation of an order')
      .withRequest('POST', '/reservations/order-3/release', (request) =>
        request.headers(headers('order-3:reserveInventory:compensate')).jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(200, (response) => response.headers(JSON_CONTENT).jsonBody({ status: 'released' }))
      .executeTest(async (server) => {
        await orderParticipants(server.url).releaseStock(
          'order-3',
          'order cancelled',
          stepCall('order-3:reserveInventory:compensate'),
        );
      });
  });

  it('releases an order that was never reserved (a compensation after a lost reserve)', async () => {
    await pact
      .addInteraction()
      .given('an order with no reservation', { orderId: 'order-4' })
      .uponReceiving('a release for an order inventory has never seen')
      .withRequest('POST', '/reservations/order-4/release', (request) =>
        request.headers(headers('order-4:reserveInventory:compensate')).jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(200, (response) =>
        response.headers(JSON_CONTENT).jsonBody({ status: 'released', tombstone: true }),
      )
      .executeTest(async (server) => {
        await orderParticipants(server.url).releaseStock(
          'order-4',
          'order cancelled',
          stepCall('order-4:reserveInventory:compensate'),
        );
      });
  });

  it('commits a reservation once the order is confirmed', async () => {
    await pact
      .addInteraction()
      .given('an order with reserved stock', { orderId: 'order-5', sku: 'MUG', quantity: 2 })
      .uponReceiving('a commit of the reservation of an order')
      .withRequest('POST', '/reservations/order-5/commit', (request) =>
        request.headers(headers('order-5:confirmOrder')),
      )
      .willRespondWith(200, (response) => response.headers(JSON_CONTENT).jsonBody({ status: 'committed' }))
      .executeTest(async (server) => {
        await orderParticipants(server.url).commitReservation('order-5', stepCall('order-5:confirmOrder'));
      });
  });
});
