/** The gateway in-process with test settings: fake upstream URLs, a fake clock for breakers and timeouts. */
import { FakeClock } from '@shop/clock';
import { bearer } from '@shop/testing';
import { buildApp, type GatewayApp, type GatewayAppDeps } from '../../src/app';

export const JWT_SECRET = 'gateway-tests-secret-0123456789abcdef';
export const UPSTREAM_TIMEOUT_MS = 3_000;
export const PASSWORD_UPSTREAM_TIMEOUT_MS = 15_000;
export const BREAKER_OPEN_MS = 10_000;

export interface GatewayFixture {
  app: GatewayApp;
  clock: FakeClock;
}

export async function startGateway(
  urls: { users?: string; orders?: string; inventory?: string },
  overrides: { rateLimit?: Partial<GatewayAppDeps['rateLimit']>; tokenTtlSeconds?: number } = {},
): Promise<GatewayFixture> {
  const clock = new FakeClock();
  const unused = 'http://127.0.0.1:9'; // discard port: nothing listens there
  const app = await buildApp({
    logger: false,
    jwtSecret: JWT_SECRET,
    ...(overrides.tokenTtlSeconds ? { tokenTtlSeconds: overrides.tokenTtlSeconds } : {}),
    upstreams: {
      userServiceUrl: urls.users ?? unused,
      orderServiceUrl: urls.orders ?? unused,
      inventoryServiceUrl: urls.inventory ?? unused,
      timeoutMs: UPSTREAM_TIMEOUT_MS,
      passwordTimeoutMs: PASSWORD_UPSTREAM_TIMEOUT_MS,
      breakerConsecutiveFailures: 5,
      breakerOpenMs: BREAKER_OPEN_MS,
      clock,
    },
    rateLimit: { max: 1_000, windowMs: 60_000, authMax: 100, cacheSize: 1_000, ...overrides.rateLimit },
  });
  return { app, clock };
}

export const CUSTOMER = '0190a0a0-0000-7000-8000-00000000000a';
export const OTHER_CUSTOMER = '0190a0a0-0000-7000-8000-00000000000b';

export const customer = (sub = CUSTOMER, expiresInSeconds = 300) =>
  bearer(JWT_SECRET, { sub, role: 'customer', expiresInSeconds });
