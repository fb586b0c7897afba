// Who may call a scope of routes: one guard per scope, and every guard fails closed.
import {
  anyVerifiedCaller,
  createApp,
  customerOf,
  mayActFor,
  onlyCustomers,
  onlyServices,
  registerRoutesFor,
  signCustomerToken,
  signServiceToken,
  trustEveryCallerForTests,
  Type,
  type CreateAppOptions,
  type ServiceApp,
} from '../src';

const secret = 'test-secret-that-is-at-least-32-characters-long';

async function appWith(authentication: CreateAppOptions['authentication']): Promise<ServiceApp> {
  const app = await createApp({ name: 'guarded', logger: false, ...(authentication ? { authentication } : {}) });
  await registerRoutesFor(app, onlyServices, (services) => {
    services.post(
      '/reservations',
      { schema: { body: Type.Object({ orderId: Type.String() }, { additionalProperties: false }) } },
      async () => ({ reserved: true }),
    );
  });
  await registerRoutesFor(app, onlyCustomers, (customers) => {
    customers.get('/me', async (request) => ({ customerId: customerOf(request) }));
  });
  await registerRoutesFor(app, anyVerifiedCaller, (callers) => {
    callers.get('/orders/:customerId', async (request) => ({
      allowed: mayActFor(request, (request.params as { customerId: string }).customerId),
    }));
  });
  app.addSchema({ $id: 'AddedLater', type: 'object' });
  await app.ready();
  return app;
}

describe('caller guards', () => {
  describe('with tokens verified', () => {
    let app: ServiceApp;
    beforeAll(async () => {
      app = await appWith({ secret });
    });
    afterAll(() => app.close());
    const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
      app.inject({
        method,
        url,
        ...(payload ? { payload } : {}),
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    it('lets each scope’s callers in, and refuses the others with 403', async () => {
      const service = signServiceToken(app, 'order-service');
      const customer = signCustomerToken(app, 'c1');
      expect((await call('POST', '/reservations', service, { orderId: 'o1' })).json()).toEqual({ reserved: true });
      expect((await call('POST', '/reservations', customer, { orderId: 'o1' })).statusCode).toBe(403);
      expect((await call('GET', '/me', customer)).json()).toEqual({ customerId: 'c1' });
      expect((await call('GET', '/me', service)).statusCode).toBe(403);
      expect((await call('GET', '/orders/c1', customer)).json()).toEqual({ allowed: true });
      expect((await call('GET', '/orders/c2', customer)).json()).toEqual({ allowed: false });
      expect((await call('GET', '/orders/c2', service)).json()).toEqual({ allowed: true });
    });

    it('validates a scope’s bodies as strictly as the root’s, listing every bad field', async () => {
      // A root schema added after the scopes exist (the operator routes do this) must not swap their validator.
      const response = await call('POST', '/reservations', signServiceToken(app, 'order-service'), { extra: 1 });
      expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual([
        'body.orderId',
        'body.extra',
      ]);
    });

    it('checks the caller before the body: a refused caller learns nothing about validation', async () => {
      const response = await call('POST', '/reservations', signCustomerToken(app, 'c1'), { unexpected: true });
      expect(response.statusCode).toBe(403);
    });
  });

  describe('in an app that identifies nobody (no authentication given)', () => {
    let app: ServiceApp;
    beforeAll(async () => {
      app = await appWith(undefined);
    });
    afterAll(() => app.close());

    it('refuses every guarded route with 401: no principal is never a pass', async () => {
      for (const request of [
        { method: 'POST' as const, url: '/reservations', payload: { orderId: 'o1' } },
        { method: 'GET' as const, url: '/me' },
        { method: 'GET' as const, url: '/orders/c1' },
      ]) {
        const response = await app.inject(request);
        expect({ url: request.url, status: response.statusCode }).toEqual({ url: request.url, status: 401 });
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });
  });

  describe('when a test trusts every caller by name', () => {
    let app: ServiceApp;
    beforeAll(async () => {
      app = await appWith(trustEveryCallerForTests());
    });
    afterAll(() => app.close());

    it('treats every request as a service: service routes pass, customer routes still need a customer', async () => {
      expect((await app.inject({ method: 'POST', url: '/reservations', payload: { orderId: 'o1' } })).statusCode).toBe(
        200,
      );
      expect((await app.inject('/orders/anyone')).json()).toEqual({ allowed: true });
      expect((await app.inject('/me')).statusCode).toBe(403);
    });
  });
});
