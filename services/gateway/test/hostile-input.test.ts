/**
 * The breaker attack of issue #16, against the whole shop: text Postgres cannot store (a NUL byte, a lone UTF-16
 * surrogate) in registration, profile, login and order fields, or `GET /api/orders/%00`, once made a service answer
 * 500 — and five 500s from one anonymous client opened the gateway's circuit for every user. Now every such request
 * is a 400 problem+json naming the field, each service refuses it on its own as well, and afterwards every circuit
 * is closed and another customer signs in and orders as usual.
 */
import type { ServiceApp } from '@shop/service-kit';
import { eventually, signTestToken } from '@shop/testing';
import type { GatewayApp } from '../src/app';
import { JWT_SECRET } from './support/gateway';
import { createShop, type Shop } from './support/shop';

const address = { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' };
const password = 'correct horse battery';
const order = { items: [{ sku: 'SKU-MUG', quantity: 1 }], shippingAddress: address, paymentMethod: 'tok_visa' };

interface HostileRequest {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  /** Sent as written: JSON.stringify turns a NUL into `\u0000` and a lone surrogate into `\ud800`, as clients do. */
  body?: unknown;
  /** Whether it carries the attacker's own customer token (protected routes answer 401 before validating). */
  asCustomer: boolean;
  /** The field the 400 must name. */
  field: string;
}

/** One of each: every public route that takes text, with the text Postgres refuses. */
function hostileRequests(n: number): HostileRequest[] {
  const email = `mallory-${n}@example.com`;
  return [
    {
      name: 'NUL in a registration name',
      method: 'POST',
      url: '/api/users',
      asCustomer: false,
      field: 'body.name',
      body: { email, name: 'Mallory\u0000', password, shippingAddress: address },
    },
    {
      name: 'NUL in a registration address',
      method: 'POST',
      url: '/api/users',
      asCustomer: false,
      field: 'body.shippingAddress.line1',
      body: { email, name: 'Mallory', password, shippingAddress: { ...address, line1: '\u0000' } },
    },
    {
      name: 'lone surrogate in a registration name',
      method: 'POST',
      url: '/api/users',
      asCustomer: false,
      field: 'body.name',
      body: { email, name: 'Mallory \ud800', password, shippingAddress: address },
    },
    {
      name: 'NUL in a login password',
      method: 'POST',
      url: '/api/auth/token',
      asCustomer: false,
      field: 'body.password',
      body: { email, password: `${password}\u0000` },
    },
    {
      name: 'NUL in a profile update',
      method: 'PATCH',
      url: '/api/users/me',
      asCustomer: true,
      field: 'body.name',
      body: { name: '\u0000' },
    },
    {
      name: 'NUL in an order address',
      method: 'POST',
      url: '/api/orders',
      asCustomer: true,
      field: 'body.shippingAddress.city',
      body: { ...order, shippingAddress: { ...address, city: 'Rotter\u0000dam' } },
    },
    {
      name: 'lone surrogate in an order field',
      method: 'POST',
      url: '/api/orders',
      asCustomer: true,
      field: 'body.paymentMethod',
      body: { ...order, paymentMethod: 'tok_\udc00' },
    },
    { name: 'NUL as an order id', method: 'GET', url: '/api/orders/%00', asCustomer: true, field: 'params.id' },
    {
      name: 'NUL in an order list cursor',
      method: 'GET',
      url: '/api/orders?cursor=%00',
      asCustomer: true,
      field: 'querystring.cursor',
    },
  ];
}

async function send(app: ServiceApp, request: HostileRequest, authorization?: string) {
  return app.inject({
    method: request.method,
    url: request.url,
    headers: {
      ...(authorization ? { authorization } : {}),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
  });
}

async function register(gateway: ServiceApp, email: string): Promise<string> {
  const registered = await gateway.inject({
    method: 'POST',
    url: '/api/users',
    payload: { email, name: 'Customer', password, shippingAddress: address },
  });
  expect(registered.statusCode).toBe(201);
  return registered.json().id as string;
}

async function signIn(gateway: ServiceApp, email: string): Promise<string> {
  const token = await gateway.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password } });
  expect(token.statusCode).toBe(200);
  return `Bearer ${token.json().accessToken}`;
}

describe('hostile input through the gateway (the breaker attack of issue #16)', () => {
  const shop = createShop();
  let gateway: GatewayApp;
  let services: Shop['services'];

  beforeAll(async () => {
    ({ gateway, services } = await shop.start());
  }, 120_000); // five PGlite databases and local-aws, on a machine that may be busy
  afterAll(() => shop.close(), 30_000);

  it.each([5, 500])(
    '%i bad-input requests from one client each get a 400 problem, and leave every circuit closed',
    async (count) => {
      const victim = `ada-${count}@example.com`;
      await register(gateway, victim);
      // The attacker: one anonymous client that signed itself up, as anyone can.
      const attackerEmail = `mallory-${count}@example.com`;
      await register(gateway, attackerEmail);
      const attacker = await signIn(gateway, attackerEmail);

      const kinds = hostileRequests(count);
      for (let i = 0; i < count; i++) {
        const request = kinds[i % kinds.length]!;
        const response = await send(gateway, request, request.asCustomer ? attacker : undefined);
        expect({ request: request.name, status: response.statusCode }).toEqual({ request: request.name, status: 400 });
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({
          status: 400,
          type: expect.stringMatching(/validation-failed$/),
          errors: [{ field: request.field, message: expect.stringMatching(/NUL|surrogate/) }],
        });
      }

      for (const [name, upstream] of Object.entries(gateway.upstreams)) {
        expect({ name, state: upstream.breaker.state }).toEqual({ name, state: 'closed' });
        expect(upstream.breaker.metrics().failures).toBe(0);
      }

      // Another customer is not affected: signs in, and the order is accepted once the order service has learnt
      // about them from UserRegistered (422 unknown-customer until then).
      const authorization = await signIn(gateway, victim);
      const placed = await eventually(
        async () => {
          const response = await gateway.inject({
            method: 'POST',
            url: '/api/orders',
            headers: { authorization },
            payload: order,
          });
          if (response.statusCode !== 202) throw new Error(`${response.statusCode} ${response.body}`);
          return response;
        },
        { timeoutMs: 15_000 },
      );
      const location = placed.headers.location as string;
      expect((await gateway.inject({ url: location, headers: { authorization } })).statusCode).toBe(200);
    },
    120_000,
  );

  it('each service refuses the same input on its own, without the gateway in front (defence in depth)', async () => {
    const email = 'direct@example.com';
    const customerId = await register(gateway, email);
    const asService = `Bearer ${signTestToken(JWT_SECRET, { sub: 'gateway', role: 'service' })}`;
    const asCustomer = `Bearer ${signTestToken(JWT_SECRET, { sub: customerId, role: 'customer' })}`;
    const direct: { app: ServiceApp; request: HostileRequest; authorization: string }[] = [
      {
        app: services.user,
        authorization: asService,
        request: {
          name: 'NUL in a name',
          method: 'POST',
          url: '/users',
          asCustomer: false,
          field: 'body.name',
          body: { email: 'x@example.com', name: '\u0000', password, shippingAddress: address },
        },
      },
      {
        app: services.user,
        authorization: asCustomer,
        request: {
          name: 'lone surrogate in a profile',
          method: 'PATCH',
          url: `/users/${customerId}`,
          asCustomer: true,
          field: 'body.shippingAddress.line1',
          body: { shippingAddress: { ...address, line1: '\ud83d' } },
        },
      },
      {
        app: services.order,
        authorization: asCustomer,
        request: {
          name: 'NUL as an order id',
          method: 'GET',
          url: '/orders/%00',
          asCustomer: true,
          field: 'params.id',
        },
      },
      {
        app: services.order,
        authorization: asCustomer,
        request: {
          name: 'NUL in an order',
          method: 'POST',
          url: '/orders',
          asCustomer: true,
          field: 'body.shippingAddress.postalCode',
          body: { ...order, shippingAddress: { ...address, postalCode: '\u0000' } },
        },
      },
    ];
    for (const { app, request, authorization } of direct) {
      const response = await send(app, request, authorization);
      expect({ request: request.name, status: response.statusCode }).toEqual({ request: request.name, status: 400 });
      expect(response.json().errors).toEqual([
        { field: request.field, message: expect.stringMatching(/NUL|surrogate/) },
      ]);
    }
  });
});
