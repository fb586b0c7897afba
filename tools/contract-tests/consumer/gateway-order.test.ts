/**
 * gateway → order-service: placing an order (the gateway rewrites the order's `location` to its public path, so it
 * depends on that field and header) and reading one, with the customer's own token forwarded.
 */
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { bearerToken, PACT_DIR, Pacticipant } from '../src';
import { withGateway } from './support/gateway';
import { authorizationFor, JSON_CONTENT, moneyLike } from './support/matchers';

const { eachLike, integer, like, regex } = MatchersV3;

const pact = new PactV4({
  consumer: Pacticipant.gateway,
  provider: Pacticipant.order,
  dir: PACT_DIR,
  logLevel: 'error',
});

const CUSTOMER = '0190a0a0-0000-7000-8000-0000000000f1';
const customer = { sub: CUSTOMER, role: 'customer' as const };
const shippingAddress = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
const placeOrder = { items: [{ sku: 'MUG', quantity: 2 }], shippingAddress, paymentMethod: 'tok_visa' };

describe('gateway → order-service', () => {
  it('places an order and answers with its public location', async () => {
    await pact
      .addInteraction()
      .given('a customer known to the order service', { customerId: CUSTOMER })
      .uponReceiving('an order placed by a customer')
      .withRequest('POST', '/orders', (request) =>
        request.headers({ authorization: authorizationFor(customer) }).jsonBody(placeOrder),
      )
      .willRespondWith(202, (response) =>
        response.headers({ ...JSON_CONTENT, Location: regex('/orders/[^/]+', '/orders/order-1') }).jsonBody({
          id: like('order-1'),
          status: 'PENDING',
          location: regex('/orders/[^/]+', '/orders/order-1'),
        }),
      )
      .executeTest(async (server) => {
        await withGateway({ orders: server.url }, async (gateway) => {
          const response = await gateway.inject({
            method: 'POST',
            url: '/api/orders',
            headers: { authorization: bearerToken(customer) },
            payload: placeOrder,
          });
          expect(response.statusCode).toBe(202);
          expect(response.headers.location).toBe('/api/orders/order-1');
          expect(response.json()).toEqual({ id: 'order-1', status: 'PENDING', location: '/api/orders/order-1' });
        });
      });
  });

  it("reads one of the customer's orders", async () => {
    await pact
      .addInteraction()
      .given('an order of the customer', { orderId: 'order-2', customerId: CUSTOMER })
      .uponReceiving("a read of one of the customer's orders")
      .withRequest('GET', '/orders/order-2', (request) =>
        request.headers({ authorization: authorizationFor(customer) }),
      )
      .willRespondWith(200, (response) =>
        response.headers(JSON_CONTENT).jsonBody({
          id: 'order-2',
          customerId: CUSTOMER,
          status: like('PENDING'),
          items: eachLike({
            sku: like('MUG'),
            quantity: integer(2),
            unitPrice: moneyLike(1250),
            lineTotal: moneyLike(2500),
          }),
          total: moneyLike(2500),
        }),
      )
      .executeTest(async (server) => {
        await withGateway({ orders: server.url }, async (gateway) => {
          const response = await gateway.inject({
            url: '/api/orders/order-2',
            headers: { authorization: bearerToken(customer) },
          });
          expect(response.statusCode).toBe(200);
          expect(response.json()).toMatchObject({ id: 'order-2', customerId: CUSTOMER, total: { amountMinor: 2500 } });
        });
      });
  });
});
