import { createHmac } from 'node:crypto';
import { createApp, customerOf, mayActFor, signCustomerToken, signServiceToken, type ServiceApp } from '../src';

const secret = 'test-secret-that-is-at-least-32-characters-long';

/** An HS256 token written by hand, so a test can give it any claims (e.g. an `exp` in the past). */
function handMadeToken(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('authentication', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await createApp({ name: 'secured', logger: false, authentication: { secret } });
    app.get('/me', async (request) => ({ customerId: customerOf(request) }));
    app.get('/orders/:customerId', async (request) => ({
      allowed: mayActFor(request, (request.params as { customerId: string }).customerId),
    }));
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (url: string, token?: string) =>
    app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('rejects a request without a token with 401 problem+json and WWW-Authenticate', async () => {
    const response = await get('/me');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toMatchObject({ status: 401, detail: 'missing bearer token' });
  });

  it('rejects a token signed with another key, and a garbage token', async () => {
    const other = await createApp({ name: 'other', logger: false, authentication: { secret: 'x'.repeat(40) } });
    await other.ready();
    expect((await get('/me', signCustomerToken(other, 'c1'))).statusCode).toBe(401);
    expect(await get('/me', 'not.a.jwt')).toMatchObject({ statusCode: 401 });
    await other.close();
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: 'c1',
      role: 'customer',
      iss: 'resilient-shop',
      aud: 'resilient-shop-services',
      iat: now - 120,
    };
    expect((await get('/me', handMadeToken({ ...claims, exp: now + 60 }))).statusCode).toBe(200);
    const expired = handMadeToken({ ...claims, exp: now - 60 });
    const response = await get('/me', expired);
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/expired/i);
  });

  it('accepts a verified token again from its cache, but never after it expires', async () => {
    const now = Date.now();
    // Only Date is faked: fastify's inject still needs real ticks.
    jest.useFakeTimers({ now, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      const seconds = Math.floor(now / 1000);
      const token = handMadeToken({
        sub: 'c1',
        role: 'customer',
        iss: 'resilient-shop',
        aud: 'resilient-shop-services',
        iat: seconds,
        exp: seconds + 60,
      });
      expect((await get('/me', token)).statusCode).toBe(200);
      expect((await get('/me', token)).statusCode).toBe(200); // the cached verification
      jest.setSystemTime(now + 61_000);
      const response = await get('/me', token);
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toMatch(/expired/i);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('refuses a correctly signed token that lacks a claim the verifier checks', () => {
    const now = Math.floor(Date.now() / 1000);
    const complete = {
      sub: 'c1',
      role: 'customer',
      iss: 'resilient-shop',
      aud: 'resilient-shop-services',
      exp: now + 60,
    };
    it.each(['exp', 'iss', 'aud', 'sub'])('without %s: 401', async (claim) => {
      const { [claim as keyof typeof complete]: _left, ...claims } = complete;
      const response = await get('/me', handMadeToken(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json().detail).toMatch(new RegExp(claim));
    });
    it.each([
      ['another audience', { aud: 'someone-elses-api' }],
      ['another issuer', { iss: 'someone-else' }],
    ])('from %s: 401', async (_case, override) => {
      expect((await get('/me', handMadeToken({ ...complete, ...override }))).statusCode).toBe(401);
    });
    it('signed with another algorithm (alg: none): 401', async () => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(complete)}.`;
      expect((await get('/me', unsigned)).statusCode).toBe(401);
    });
    it('accepts the complete token, and signs tokens with every claim', async () => {
      expect((await get('/me', handMadeToken(complete))).statusCode).toBe(200);
      const payload = JSON.parse(
        Buffer.from(signServiceToken(app, 'order-service').split('.')[1]!, 'base64url').toString(),
      );
      expect(payload).toMatchObject({ iss: 'resilient-shop', aud: 'resilient-shop-services', sub: 'order-service' });
      expect(payload.exp - payload.iat).toBe(900);
    });
  });

  it('takes the customer from the verified token, never from headers', async () => {
    const response = await app.inject({
      url: '/me',
      headers: { authorization: `Bearer ${signCustomerToken(app, 'customer-1')}`, 'x-customer-id': 'customer-2' },
    });
    expect(response.json()).toEqual({ customerId: 'customer-1' });
  });

  it('lets a customer act only for themselves, and a service for anyone', async () => {
    expect((await get('/orders/c1', signCustomerToken(app, 'c1'))).json()).toEqual({ allowed: true });
    expect((await get('/orders/c2', signCustomerToken(app, 'c1'))).json()).toEqual({ allowed: false });
    expect((await get('/orders/c2', signServiceToken(app, 'order-service'))).json()).toEqual({ allowed: true });
    expect((await get('/me', signServiceToken(app, 'order-service'))).statusCode).toBe(403);
  });

  it('keeps health and docs public', async () => {
    expect((await get('/health/live')).statusCode).toBe(200);
    expect((await get('/docs/json')).statusCode).toBe(200);
  });

  describe('admin routes (fault injection)', () => {
    let faulty: ServiceApp;
    beforeAll(async () => {
      faulty = await createApp({ name: 'faulty', logger: false, authentication: { secret }, faultInjection: true });
      await faulty.ready();
    });
    afterAll(() => faulty.close());
    const clearFaults = (token?: string) =>
      faulty.inject({
        method: 'DELETE',
        url: '/admin/faults',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    it('need a token: 401 without one', async () => {
      expect((await clearFaults()).statusCode).toBe(401);
      expect((await faulty.inject({ method: 'GET', url: '/admin/faults' })).statusCode).toBe(401);
    });
    it('need a service token: a customer token is refused with 403', async () => {
      expect((await clearFaults(signCustomerToken(faulty, 'c1'))).statusCode).toBe(403);
    });
    it('accept a service token', async () => {
      expect((await clearFaults(signServiceToken(faulty, 'demo'))).statusCode).toBe(204);
    });
  });
});
