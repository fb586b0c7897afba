// The operator view: read-only routes that only a verified service token opens, failing closed everywhere else.
import jwt from '@fastify/jwt';
import { createApp, registerOperatorRoutes, signCustomerToken, signServiceToken, type ServiceApp } from '../src';

const secret = 'test-secret-that-is-at-least-32-characters-long';
const breaker = {
  name: 'payment',
  state: 'open' as const,
  calls: 10,
  failures: 6,
  failureRate: 0.6,
  consecutiveFailures: 6,
  retryAfterMs: 1200,
  slowCalls: 0,
};

async function appWith(options: Parameters<typeof createApp>[0]): Promise<ServiceApp> {
  const app = await createApp({ logger: false, ...options });
  registerOperatorRoutes(app, {
    outbox: async () => ({ pending: 3, oldestAgeSeconds: 1.5 }),
    breakers: () => [breaker],
    routes: (operator) => operator.get('/extra', async () => ({ extra: true })),
  });
  await app.ready();
  return app;
}

describe('registerOperatorRoutes', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await appWith({ name: 'secured', authentication: { secret } });
  });
  afterAll(() => app.close());
  const get = (url: string, token?: string) =>
    app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers a service with the outbox backlog, the breakers and the service’s own operator routes', async () => {
    const token = signServiceToken(app, 'console');
    expect((await get('/operator/outbox', token)).json()).toEqual({ pending: 3, oldestAgeSeconds: 1.5 });
    const { breakers } = (await get('/operator/breakers', token)).json();
    expect(breakers).toEqual([
      {
        name: 'payment',
        state: 'open',
        calls: 10,
        failures: 6,
        failureRate: 0.6,
        consecutiveFailures: 6,
        retryAfterMs: 1200,
      },
    ]);
    expect((await get('/operator/extra', token)).json()).toEqual({ extra: true });
  });

  it('refuses callers without a token (401) and customers (403)', async () => {
    expect((await get('/operator/outbox')).statusCode).toBe(401);
    const customer = await get('/operator/breakers', signCustomerToken(app, 'c1'));
    expect(customer.statusCode).toBe(403);
    expect(customer.headers['content-type']).toContain('application/problem+json');
  });

  it('fails closed in an app started without authentication', async () => {
    const open = await appWith({ name: 'unsecured' });
    const response = await open.inject({ url: '/operator/outbox', headers: { authorization: 'Bearer anything' } });
    expect(response.statusCode).toBe(401);
    await open.close();
  });

  it('verifies a service token itself where the app identifies only customers (the gateway)', async () => {
    const edge = await createApp({ name: 'edge', logger: false });
    await edge.register(jwt, { secret, sign: { iss: 'resilient-shop' }, verify: { allowedIss: 'resilient-shop' } });
    registerOperatorRoutes(edge, { breakers: () => [breaker] });
    await edge.ready();
    const call = (token: string) =>
      edge.inject({ url: '/operator/breakers', headers: { authorization: `Bearer ${token}` } });
    expect((await call(signServiceToken(edge, 'console'))).statusCode).toBe(200);
    expect((await call(signCustomerToken(edge, 'c1'))).statusCode).toBe(403);
    expect((await call('not.a.token')).statusCode).toBe(401);
    await edge.close();
  });
});
