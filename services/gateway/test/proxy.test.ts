import type { ServiceApp } from '@shop/service-kit';
import { bearer } from '@shop/testing';
import { FakeUpstream } from './support/fake-upstream';
import { CUSTOMER, customer, JWT_SECRET, OTHER_CUSTOMER, startGateway } from './support/gateway';

describe('gateway routing and authentication', () => {
  const users = new FakeUpstream();
  const orders = new FakeUpstream();
  const inventory = new FakeUpstream();
  let app: ServiceApp;

  beforeAll(async () => {
    await Promise.all([users.start(), orders.start(), inventory.start()]);
    ({ app } = await startGateway({ users: users.url, orders: orders.url, inventory: inventory.url }));
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([users.stop(), orders.stop(), inventory.stop()]);
  });
  beforeEach(() => {
    for (const upstream of [users, orders, inventory]) {
      upstream.received.length = 0;
      upstream.respond = (request) => ({ method: request.method, url: request.url, headers: request.headers });
    }
  });

  const allReceived = () => users.received.length + orders.received.length + inventory.received.length;

  it.each([
    ['GET', '/api/products'],
    ['GET', '/api/orders/o-1'],
    ['GET', '/api/orders'],
    ['POST', '/api/orders'],
    ['GET', '/api/users/me'],
    ['GET', '/api/users/me/orders'],
  ])('answers %s %s without a token with 401 problem+json, calling nobody', async (method, url) => {
    const response = await app.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ type: expect.stringMatching(/unauthenticated$/), status: 401 });
    expect(allReceived()).toBe(0);
  });

  it('rejects an expired token, a token signed with another key, and a service token', async () => {
    const expired = await app.inject({ url: '/api/products', headers: customer(CUSTOMER, -1) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/expired/i);

    const forged = bearer('another-secret-that-is-long-enough-000', { sub: CUSTOMER, role: 'customer' });
    expect((await app.inject({ url: '/api/products', headers: forged })).statusCode).toBe(401);

    const service = bearer(JWT_SECRET, { sub: 'order-service', role: 'service' });
    const asService = await app.inject({ url: '/api/products', headers: service });
    expect(asService.statusCode).toBe(401);
    expect(asService.json().detail).toMatch(/only customer tokens/);
    expect(allReceived()).toBe(0);
  });

  it('forwards the customer token unchanged and strips spoofed identity and hop-by-hop headers', async () => {
    const auth = customer();
    const response = await app.inject({
      url: '/api/products?limit=5',
      headers: {
        ...auth,
        'x-customer-id': OTHER_CUSTOMER,
        'x-user-id': OTHER_CUSTOMER,
        'x-forwarded-user': 'admin',
        'x-authenticated-userid': OTHER_CUSTOMER,
        'x-forwarded-for': '10.9.9.9',
        'proxy-authorization': 'Basic c2VjcmV0',
        'x-request-id': 'req-123',
        'x-correlation-id': 'corr-456',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'idempotency-key': 'k-1',
      },
    });
    expect(response.statusCode).toBe(200);
    const [received] = inventory.received;
    expect(received!.url).toBe('/products?limit=5');
    const headers = received!.headers;
    expect(headers.authorization).toBe(auth.authorization);
    for (const spoofed of [
      'x-customer-id',
      'x-user-id',
      'x-forwarded-user',
      'x-authenticated-userid',
      'proxy-authorization',
    ]) {
      expect(headers[spoofed]).toBeUndefined();
    }
    expect(headers['x-forwarded-for']).toBe('127.0.0.1'); // the gateway's view of the client, not the client's claim
    expect(headers['x-request-id']).toBe('req-123');
    expect(headers['x-correlation-id']).toBe('corr-456');
    // Trace context is the gateway's own span, injected by OpenTelemetry (not running in this test); never the
    // client's header copied alongside it.
    expect(headers.traceparent).toBeUndefined();
    expect(headers['idempotency-key']).toBe('k-1');
    expect(response.headers['x-request-id']).toBe('req-123');
  });

  it('does not pass hop-by-hop response headers back, and makes Location public', async () => {
    orders.respond = (_request, reply) =>
      reply
        .code(202)
        .header('location', '/orders/o-42')
        .header('keep-alive', 'timeout=5')
        .header('x-internal-only', 'hop')
        .header('connection', 'x-internal-only')
        .send({ id: 'o-42', status: 'PENDING', location: '/orders/o-42' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: customer(),
      payload: {
        items: [{ sku: 'MUG', quantity: 1 }],
        shippingAddress: { line1: '1 St', city: 'X', postalCode: '1', country: 'NL' },
        paymentMethod: 'tok_visa',
      },
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers.location).toBe('/api/orders/o-42');
    expect(response.json()).toEqual({ id: 'o-42', status: 'PENDING', location: '/api/orders/o-42' });
    expect(response.headers['keep-alive']).toBeUndefined();
    expect(response.headers['x-internal-only']).toBeUndefined();
    expect(orders.received[0]!.body).toMatchObject({ paymentMethod: 'tok_visa' });
  });

  it('maps /api/users/me to the token subject and answers another customer’s id with 404 without asking', async () => {
    const me = await app.inject({ url: '/api/users/me', headers: customer() });
    expect(me.statusCode).toBe(200);
    expect(users.received.map((request) => request.url)).toEqual([`/users/${CUSTOMER}`]);
    expect((await app.inject({ url: `/api/users/${CUSTOMER}/orders`, headers: customer() })).statusCode).toBe(200);

    const someoneElse = await app.inject({ url: `/api/users/${OTHER_CUSTOMER}`, headers: customer() });
    expect(someoneElse.statusCode).toBe(404);
    expect(someoneElse.json().type).toMatch(/not-found$/);
    expect(users.received).toHaveLength(2);
  });

  it('passes the order service’s 404 for another customer’s order through', async () => {
    orders.respond = (request, reply) =>
      reply
        .code(404)
        .type('application/problem+json')
        .send({
          type: 'https://x/not-found',
          title: 'Resource not found',
          status: 404,
          detail: `Order ${request.url} does not exist`,
        });
    const response = await app.inject({ url: '/api/orders/theirs', headers: customer() });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('lists only the caller’s orders, whatever customerId the client asks for', async () => {
    const response = await app.inject({ url: '/api/orders?status=CONFIRMED&limit=5', headers: customer() });
    expect(response.statusCode).toBe(200);
    expect(orders.received[0]!.url).toBe(`/orders?status=CONFIRMED&limit=5&customerId=${CUSTOMER}`);
    const spoofed = await app.inject({ url: `/api/orders?customerId=${OTHER_CUSTOMER}`, headers: customer() });
    expect(spoofed.statusCode).toBe(400); // not part of the public query
  });

  it('registers anonymously, in the gateway’s own name', async () => {
    users.respond = (_request, reply) => reply.code(201).header('location', '/users/u-1').send({ id: 'u-1' });
    const response = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { 'x-user-id': 'admin' },
      payload: {
        email: 'ada@example.com',
        name: 'Ada',
        password: 'long enough password',
        shippingAddress: { line1: '1 St', city: 'X', postalCode: '1', country: 'GB' },
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/api/users/u-1');
    const [received] = users.received;
    expect(received!.url).toBe('/users');
    expect(received!.headers['x-user-id']).toBeUndefined();
    const token = String(received!.headers.authorization).replace('Bearer ', '');
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({
      sub: 'gateway',
      role: 'service',
    });
  });

  it('rejects an invalid body with 400 at the edge, listing the fields, without an upstream call', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: customer(),
      payload: { items: [] },
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((error: { field: string }) => error.field)
        .sort(),
    ).toEqual(['body.items', 'body.paymentMethod', 'body.shippingAddress']);
    expect(allReceived()).toBe(0);
  });

  it('documents every public route at /docs', async () => {
    expect((await app.inject('/docs')).statusCode).toBe(200);
    const spec = (await app.inject('/docs/json')).json();
    const routes = Object.entries(spec.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.filter((route) => route.includes('/api/')).sort()).toEqual([
      'GET /api/orders',
      'GET /api/orders/{id}',
      'GET /api/products',
      'GET /api/products/{sku}',
      'GET /api/users/{id}',
      'GET /api/users/{id}/orders',
      'PATCH /api/users/{id}',
      'POST /api/auth/token',
      'POST /api/orders',
      'POST /api/users',
    ]);
  });
});
