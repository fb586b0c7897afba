/**
 * order-service → shipping-service: the saga's shipment step (idempotent by orderId) through the order service's
 * participant client, and cancelling an order's shipment, which shipping allows only until it is dispatched.
 *
 * The cancel is not made by the saga today (shipment comes after the pivot and is only ever retried). It is pinned
 * through the same resilient client because `POST /shipments/by-order/{orderId}/cancel` exists for order's
 * compensations; drop these interactions if that design changes, so shipping is free to change the endpoint.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { ServiceError } from '@shop/service-client';
import { PACT_DIR, Pacticipant } from '../src';
import {
  anyIdempotencyKey,
  JSON_CONTENT,
  PROBLEM_CONTENT,
  problemOfType,
  serviceAuthorization,
} from './support/matchers';
import { orderParticipants, stepCall } from './support/order-participants';

const { uuid } = MatchersV3;

const pact = new PactV4({
  consumer: Pacticipant.order,
  provider: Pacticipant.shipping,
  dir: PACT_DIR,
  logLevel: 'error',
});

const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
const items = [{ sku: 'MUG', quantity: 2 }];
const authorization = serviceAuthorization(Pacticipant.order);

describe('order-service → shipping-service', () => {
  it('creates the shipment of an order', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a shipment for an order')
      .withRequest('POST', '/shipments', (request) =>
        request
          .headers({ authorization, 'idempotency-key': anyIdempotencyKey('order-1:createShipment') })
          .jsonBody({ orderId: 'order-1', address, items }),
      )
      .willRespondWith(201, (response) =>
        response.headers(JSON_CONTENT).jsonBody({ id: uuid('0190a0a0-0000-7000-8000-0000000000c1') }),
      )
      .executeTest(async (server) => {
        const created = await orderParticipants(server.url).createShipment(
          { orderId: 'order-1', address, items },
          stepCall('order-1:createShipment'),
        );
        expect(created).toEqual({ shipmentId: '0190a0a0-0000-7000-8000-0000000000c1' });
      });
  });

  it("cancels an order's shipment that has not left yet", async () => {
    await pact
      .addInteraction()
      .given('an order with a shipment', { orderId: 'order-2' })
      .uponReceiving("a cancel of an order's shipment before dispatch")
      .withRequest('POST', '/shipments/by-order/order-2/cancel', (request) =>
        request.headers({ authorization }).jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(200, (response) => response.headers(JSON_CONTENT).jsonBody({ status: 'CANCELLED' }))
      .executeTest(async (server) => {
        const { clients } = orderParticipants(server.url);
        const shipment = await clients.shipping.post<{ status: string }>('/shipments/by-order/order-2/cancel', {
          reason: 'order cancelled',
        });
        expect(shipment.status).toBe('CANCELLED');
      });
  });

  it('is refused once the shipment was dispatched', async () => {
    await pact
      .addInteraction()
      .given('an order whose shipment was dispatched', { orderId: 'order-3' })
      .uponReceiving("a cancel of an order's shipment after dispatch")
      .withRequest('POST', '/shipments/by-order/order-3/cancel', (request) =>
        request.headers({ authorization }).jsonBody({ reason: 'order cancelled' }),
      )
      .willRespondWith(409, (response) =>
        response.headers(PROBLEM_CONTENT).jsonBody(problemOfType('shipment-already-dispatched')),
      )
      .executeTest(async (server) => {
        const { clients } = orderParticipants(server.url);
        const cancelling = clients.shipping.post('/shipments/by-order/order-3/cancel', { reason: 'order cancelled' });
        await expect(cancelling).rejects.toBeInstanceOf(ServiceError);
        await expect(cancelling).rejects.toMatchObject({
          status: 409,
          type: expect.stringMatching(/\/shipment-already-dispatched$/),
        });
      });
  });
});
