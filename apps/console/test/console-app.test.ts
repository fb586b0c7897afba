// The console's server in process (app.inject, no services behind it): what it refuses, and what it serves itself.
import { createAwsClients, destroyAwsClients, type AwsClients } from '@shop/messaging';
import type { ServiceApp } from '@shop/service-kit';
import { buildConsoleApp, inProcessScenarioRunner, type SystemMap } from '../src/server';

const nowhere = 'http://127.0.0.1:9'; // nothing listens on the discard port: every call there fails at once

describe('the console server', () => {
  let app: ServiceApp;
  let aws: AwsClients;
  beforeAll(async () => {
    aws = createAwsClients({ endpoint: nowhere, region: 'us-east-1' });
    app = await buildConsoleApp({
      logger: false,
      jwtSecret: 'test-secret-that-is-at-least-32-characters-long',
      urls: {
        gateway: nowhere,
        order: nowhere,
        user: nowhere,
        inventory: nowhere,
        payment: nowhere,
        shipping: nowhere,
      },
      aws,
      brokerLabel: 'local-aws',
      traces: {},
      scenarios: inProcessScenarioRunner(nowhere),
      refreshMs: 1_000,
      allowedHosts: ['localhost', '127.0.0.1'],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    destroyAwsClients(aws);
  });

  it('serves the page with a policy that allows nothing from elsewhere', async () => {
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('refuses a page served under a host name it does not know (DNS rebinding)', async () => {
    const response = await app.inject({ url: '/api/map', headers: { host: 'evil.example:3006' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ type: expect.stringMatching(/unknown-host$/) });
  });

  it('refuses a state-changing request from a page of another origin (CSRF), but not from its own', async () => {
    const from = (origin: string) =>
      app.inject({ method: 'PUT', url: '/api/faults/nothing', headers: { origin }, payload: { mode: 'normal' } });
    expect((await from('http://evil.example')).statusCode).toBe(403);
    const own = await from('http://localhost:80');
    expect(own.statusCode).toBe(404); // past the guard: there is no switch "nothing"
    expect(own.json()).toMatchObject({ detail: 'no switch "nothing" with mode "normal"' });
  });

  it('describes the system: REST calls with the breaker that guards each, and every subscription of the topology', async () => {
    const map = (await app.inject({ url: '/api/map' })).json<SystemMap>();
    expect(map.calls).toContainEqual({ from: 'order', to: 'payment', breaker: { owner: 'order', name: 'payment' } });
    expect(map.subscriptions).toContainEqual(
      expect.objectContaining({ producer: 'order', topic: 'order-events', consumer: 'user', queue: 'user-service' }),
    );
  });

  it('answers a service that is down with 502 naming it, never 500', async () => {
    const response = await app.inject({ url: '/api/sagas/some-order' });
    expect(response.statusCode).toBe(502);
    expect(response.json().detail).toBe('order-service could not be reached');
    const storefront = await app.inject({ url: '/gateway/api/products' });
    expect(storefront.statusCode).toBe(502);
  });

  it('lists the scenarios, and says why those that control processes cannot run here', async () => {
    const { scenarios } = (await app.inject({ url: '/api/scenarios' })).json();
    expect(scenarios).toHaveLength(8);
    expect(scenarios.find((s: { id: number }) => s.id === 7).unavailable).toMatch(/pnpm demo/);
    const refused = await app.inject({ method: 'POST', url: '/api/scenarios/7/run' });
    expect(refused.statusCode).toBe(409);
  });
});
