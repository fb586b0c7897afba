/**
 * Builds the gateway's Fastify app; tests call this and use `app.inject()`. Order matters: authentication identifies
 * the caller first, rate limiting then keys by that identity, and the routes forward to the upstreams.
 */
import type { StateChange } from '@shop/resilience';
import { createApp, registerOperatorRoutes, type CreateAppOptions, type ServiceApp } from '@shop/service-kit';
import { registerCustomerAuthentication, rejectAnonymousCallers } from './auth/customer-authentication';
import { gatewayServiceToken } from './auth/service-token';
import { authRateLimit, registerRateLimiting, type RateLimitSettings } from './rate-limiting';
import { registerAuthRoutes } from './routes/auth';
import { registerOrderRoutes } from './routes/orders';
import { registerProductRoutes } from './routes/products';
import { registerUserRoutes } from './routes/users';
import { createUpstreams, type Upstreams, type UpstreamSettings } from './upstreams';

/**
 * The gateway's app: a service app that also carries the internal services behind it (read
 * `upstreams.orders.breaker.state` and the like). A type of its own rather than an augmentation of Fastify's global
 * `FastifyInstance`, which would claim `upstreams` for every Fastify app in the program.
 */
export type GatewayApp = ServiceApp & { readonly upstreams: Upstreams };

export interface GatewayAppDeps {
  logger?: CreateAppOptions['logger'];
  /** JWT_SECRET, shared with the internal services. */
  jwtSecret: string;
  tokenTtlSeconds?: number;
  upstreams: UpstreamSettings;
  rateLimit: RateLimitSettings;
}

export async function buildApp(deps: GatewayAppDeps): Promise<GatewayApp> {
  const { rateLimit } = deps;
  const app = await createApp({
    name: 'gateway',
    description:
      'The public API of Resilient Shop. Get a token at `POST /api/auth/token` and send it as ' +
      '`Authorization: Bearer <token>` on every other route except registration (`POST /api/users`).',
    logger: deps.logger,
    // This port is public: /metrics is served on METRICS_PORT instead (main.ts), where only Prometheus reaches it.
    metricsRoute: false,
    readiness: rateLimit.redis ? { redis: async () => void (await rateLimit.redis!.ping()) } : {},
  });
  const tokenTtlSeconds = deps.tokenTtlSeconds ?? 900;
  await registerCustomerAuthentication(app, { secret: deps.jwtSecret, tokenTtlSeconds });
  await registerRateLimiting(app, rateLimit);
  rejectAnonymousCallers(app);

  const upstreams = createUpstreams(deps.upstreams);
  const gatewayApp = Object.assign(app, { upstreams });
  for (const upstream of Object.values(upstreams)) {
    upstream.breaker.onStateChange((change: StateChange) => app.log.warn(change, 'upstream circuit changed'));
  }
  app.addHook('onClose', async () => {
    await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
  });

  const serviceToken = gatewayServiceToken(app);
  const passwordTimeoutMs = deps.upstreams.passwordTimeoutMs ?? 15_000;
  registerAuthRoutes(app, {
    users: upstreams.users,
    serviceToken,
    tokenTtlSeconds,
    passwordTimeoutMs,
    rateLimit: authRateLimit(rateLimit),
  });
  registerUserRoutes(app, { users: upstreams.users, serviceToken, passwordTimeoutMs });
  registerProductRoutes(app, { inventory: upstreams.inventory });
  registerOrderRoutes(app, { orders: upstreams.orders });
  // Operators (service tokens) see each upstream's breaker; customers never reach /operator.
  registerOperatorRoutes(app, {
    breakers: () => Object.values(upstreams).map((upstream) => upstream.breaker.metrics()),
  });
  return gatewayApp;
}
