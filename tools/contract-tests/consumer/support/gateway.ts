/** The real gateway app (routes, upstream clients, token handling) with its upstreams pointed at a Pact mock server. */
import type { ServiceApp } from '@shop/service-kit';
import { buildApp } from '@shop/gateway-service/dist/app';
import { CONTRACT_JWT_SECRET } from '../../src';

export function gatewayInFrontOf(upstreams: { users?: string; orders?: string }): Promise<ServiceApp> {
  const nowhere = 'http://127.0.0.1:9';
  return buildApp({
    logger: false,
    jwtSecret: CONTRACT_JWT_SECRET,
    upstreams: {
      userServiceUrl: upstreams.users ?? nowhere,
      orderServiceUrl: upstreams.orders ?? nowhere,
      inventoryServiceUrl: nowhere,
      timeoutMs: 5_000,
      breakerConsecutiveFailures: 5,
      breakerOpenMs: 10_000,
    },
    rateLimit: { max: 1_000, windowMs: 60_000, authMax: 1_000, cacheSize: 1_000 },
  });
}

/** Runs `work` against a fresh gateway and closes it, whatever happens. */
export async function withGateway<T>(
  upstreams: { users?: string; orders?: string },
  work: (gateway: ServiceApp) => Promise<T>,
): Promise<T> {
  const gateway = await gatewayInFrontOf(upstreams);
  try {
    return await work(gateway);
  } finally {
    await gateway.close();
  }
}
