/**
 * Rate limits: per customer on protected routes, per IP on anonymous ones, stricter on token issuance; draft
 * RateLimit-* headers; 429 problem+json with Retry-After. The in-memory store is an LRU with a fixed bound; with
 * REDIS_URL set, two gateway instances share one limit.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceApp } from '@shop/service-kit';
import { Redis } from 'ioredis';
import { FakeUpstream } from './support/fake-upstream';
import { customer, CUSTOMER, OTHER_CUSTOMER, startGateway } from './support/gateway';

const MAX = 5;

describe('gateway rate limiting (in-memory store)', () => {
  const inventory = new FakeUpstream();
  let app: ServiceApp;

  beforeAll(() => inventory.start());
  afterAll(() => inventory.stop());
  beforeEach(async () => {
    ({ app } = await startGateway(
      { inventory: inventory.url },
      { rateLimit: { max: MAX, authMax: 2, windowMs: 60_000 } },
    ));
  });
  afterEach(() => app.close());

  const browse = (sub = CUSTOMER, remoteAddress = '127.0.0.1') =>
    app.inject({ url: '/api/products', headers: customer(sub), remoteAddress });

  it('answers the N+1th request in the window with 429 problem+json, Retry-After and RateLimit headers', async () => {
    for (let i = 1; i <= MAX; i++) {
      const response = await browse();
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe(String(MAX));
      expect(response.headers['ratelimit-remaining']).toBe(String(MAX - i));
      expect(Number(response.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    const limited = await browse();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ type: expect.stringMatching(/rate-limited$/), status: 429, limit: MAX });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-limit']).toBe(String(MAX));
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(limited.headers['ratelimit-reset']).toBe(limited.headers['retry-after']);
  });

  it('counts per customer, not per address: another customer behind the same IP is unaffected', async () => {
    for (let i = 0; i < MAX; i++) await browse(CUSTOMER);
    expect((await browse(CUSTOMER, '10.0.0.2')).statusCode).toBe(429); // a new address does not reset a customer
    expect((await browse(OTHER_CUSTOMER)).statusCode).toBe(200);
  });

  it('counts anonymous callers (and bad tokens) per IP', async () => {
    const anonymous = (remoteAddress: string, headers = {}) =>
      app.inject({ url: '/api/products', remoteAddress, headers });
    for (let i = 0; i < MAX; i++) expect((await anonymous('10.0.0.1')).statusCode).toBe(401);
    expect((await anonymous('10.0.0.1', { authorization: 'Bearer garbage' })).statusCode).toBe(429);
    expect((await anonymous('10.0.0.3')).statusCode).toBe(401);
  });

  it('limits POST /api/auth/token more strictly, per IP', async () => {
    const token = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/token',
        remoteAddress,
        payload: { email: 'a@example.com', password: 'x' },
      });
    // Nothing listens at the user service URL: 503, but each attempt still counts.
    expect((await token('10.0.0.1')).headers['ratelimit-limit']).toBe('2');
    await token('10.0.0.1');
    const limited = await token('10.0.0.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await token('10.0.0.4')).statusCode).not.toBe(429);
  });

  it('forgets the least recent clients once its bound is reached (LRU), instead of growing', async () => {
    await app.close();
    ({ app } = await startGateway({}, { rateLimit: { max: 1, windowMs: 60_000, cacheSize: 1_000 } }));
    const anonymous = (remoteAddress: string) => app.inject({ url: '/api/products', remoteAddress });
    expect((await anonymous('192.0.2.1')).statusCode).toBe(401);
    expect((await anonymous('192.0.2.1')).statusCode).toBe(429);
    for (let i = 0; i < 1_000; i++) await anonymous(`10.0.${i >> 8}.${i & 255}`);
    // Evicted by 1,000 newer clients: a fresh window rather than still limited.
    expect((await anonymous('192.0.2.1')).statusCode).toBe(401);
  });
});

const redisUrl = process.env.REDIS_URL;
const describeWithRedis = redisUrl ? describe : describe.skip;
const redisTitle = redisUrl
  ? 'gateway rate limiting shared through Redis'
  : 'gateway rate limiting shared through Redis — skipped because REDIS_URL is unset (e.g. REDIS_URL=redis://127.0.0.1:6379, or TEST_CONTAINERS=1 for a Redis container)';

describeWithRedis(redisTitle, () => {
  const inventory = new FakeUpstream();
  const prefix = `gateway-test-${randomUUID()}:`;
  let redis: Redis;
  let gateways: ServiceApp[];

  beforeAll(async () => {
    await inventory.start();
    redis = new Redis(redisUrl!);
    const settings = { max: MAX, windowMs: 60_000, redis, redisPrefix: prefix };
    gateways = [(await startGateway({ inventory: inventory.url }, { rateLimit: settings })).app];
    gateways.push((await startGateway({ inventory: inventory.url }, { rateLimit: settings })).app);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await inventory.stop();
  });

  it('enforces one combined limit across two gateway instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= MAX; i++) {
      const gateway = gateways[i % 2]!;
      statuses.push((await gateway.inject({ url: '/api/products', headers: customer() })).statusCode);
    }
    expect(statuses).toEqual([...Array(MAX).fill(200), 429]);
    const other = await gateways[0]!.inject({ url: '/api/products', headers: customer(OTHER_CUSTOMER) });
    expect(other.statusCode).toBe(200);
  });
});
