import { createApp, trustEveryCallerForTests, type ServiceApp } from '../src';

async function appWith(faultInjection: Parameters<typeof createApp>[0]['faultInjection']): Promise<ServiceApp> {
  const app = await createApp({
    name: 'faulty',
    logger: false,
    faultInjection,
    authentication: trustEveryCallerForTests(),
  });
  app.get('/payments/:id', async () => ({ ok: true }));
  app.post('/payments', async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('fault injection', () => {
  it('does not exist unless enabled: 404 and absent from OpenAPI', async () => {
    const app = await appWith(undefined);
    const response = await app.inject({ method: 'PUT', url: '/admin/faults', payload: { rules: [] } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(Object.keys((await app.inject('/docs/json')).json().paths)).not.toContain('/admin/faults');
    await app.close();
  });

  describe('when enabled', () => {
    const delays: number[] = [];
    let randomValue = 0;
    let app: ServiceApp;
    beforeAll(async () => {
      app = await appWith({ random: () => randomValue, delay: async (ms) => void delays.push(ms) });
    });
    afterAll(() => app.close());
    afterEach(async () => {
      delays.length = 0;
      await app.inject({ method: 'DELETE', url: '/admin/faults' });
    });
    const setRules = (rules: object[]) => app.inject({ method: 'PUT', url: '/admin/faults', payload: { rules } });

    it('adds latency with jitter to matching routes only', async () => {
      randomValue = 0.5;
      expect((await setRules([{ route: '/payments/*', latencyMs: 200, jitterMs: 100 }])).statusCode).toBe(200);
      expect((await app.inject('/payments/1')).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/payments', payload: {} })).statusCode).toBe(200);
      expect(delays).toEqual([250]);
    });

    it('fails the configured share of requests with the configured status', async () => {
      await setRules([{ route: '/payments*', method: 'POST', errorRate: 0.3, errorStatus: 500 }]);
      randomValue = 0.2;
      const failed = await app.inject({ method: 'POST', url: '/payments', payload: {} });
      expect(failed.statusCode).toBe(500);
      expect(failed.json().type).toMatch(/injected-fault$/);
      randomValue = 0.9;
      expect((await app.inject({ method: 'POST', url: '/payments', payload: {} })).statusCode).toBe(200);
      expect((await app.inject('/payments/1')).statusCode).toBe(200);
    });

    it('takes a route down with 503 or by dropping the connection', async () => {
      await setRules([{ route: '/payments*', down: '503' }]);
      expect((await app.inject('/payments/1')).statusCode).toBe(503);
    });

    it('drops connections without an answer in reset mode (over a real socket)', async () => {
      await setRules([{ route: '/payments*', down: 'reset' }]);
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      await expect(fetch(`${address}/payments/1`)).rejects.toThrow('fetch failed');
      expect((await fetch(`${address}/health/live`)).status).toBe(200);
    });

    it('never faults health or admin routes, and clears on DELETE', async () => {
      await setRules([{ route: '*', down: '503' }]);
      expect((await app.inject('/health/live')).statusCode).toBe(200);
      expect((await app.inject('/admin/faults')).json().rules).toHaveLength(1);
      expect((await app.inject({ method: 'DELETE', url: '/admin/faults' })).statusCode).toBe(204);
      expect((await app.inject('/payments/1')).statusCode).toBe(200);
    });

    it('rejects malformed rules with 400', async () => {
      const response = await setRules([{ route: '/x', errorRate: 2, explode: true }]);
      expect(response.statusCode).toBe(400);
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['body.rules.0.errorRate', 'body.rules.0.explode']);
    });
  });
});
