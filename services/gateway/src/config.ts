/** The gateway's environment, and what it means for the app: upstreams, token lifetime, rate limits. */
import { httpUrl as url, serviceConfigSchema, Type, type Static } from '@shop/service-kit';
import type { Redis } from 'ioredis';
import type { GatewayAppDeps } from './app';
const positive = (defaultValue: number, description: string) =>
  Type.Integer({ minimum: 1, default: defaultValue, description });

export const GatewayConfig = serviceConfigSchema(3000, {
  USER_SERVICE_URL: url('http://127.0.0.1:3002', 'User service: registration, profiles, credentials, order history'),
  ORDER_SERVICE_URL: url('http://127.0.0.1:3001', 'Order service: place and follow orders'),
  INVENTORY_SERVICE_URL: url('http://127.0.0.1:3003', 'Inventory service: the product catalogue'),
  UPSTREAM_TIMEOUT_MS: positive(3_000, 'Limit for one proxied call, answer and body included (504 after it)'),
  PASSWORD_UPSTREAM_TIMEOUT_MS: positive(
    15_000,
    'Limit for the proxied calls that hash a password (registration, sign-in): scrypt is slow on purpose',
  ),
  BREAKER_CONSECUTIVE_FAILURES: positive(
    5,
    'Failures in a row (502/503/504, timeout, no connection; never a 4xx or 500) that open an upstream circuit',
  ),
  BREAKER_OPEN_MS: positive(10_000, 'How long an open circuit answers 503 at once before a trial call is let through'),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 60,
    maximum: 3_600,
    default: 900,
    description: 'Customer token lifetime',
  }),
  RATE_LIMIT_MAX: positive(100, 'Requests per window per customer (per IP on anonymous routes)'),
  RATE_LIMIT_WINDOW_MS: positive(60_000, 'Rate-limit window'),
  AUTH_RATE_LIMIT_MAX: positive(10, 'Requests per window per IP on POST /api/auth/token (password guessing)'),
  RATE_LIMIT_CACHE_SIZE: positive(
    10_000,
    'Clients tracked by the in-memory store (LRU); the least recent are forgotten',
  ),
  METRICS_PORT: Type.Integer({
    minimum: 0,
    maximum: 65_535,
    default: 9464,
    description: 'Internal listener for GET /metrics (never on the public PORT); 0 picks a free port',
  }),
  REDIS_URL: Type.Optional(
    Type.String({ pattern: '^rediss?://', description: 'Share rate limits between gateway instances through Redis' }),
  ),
});

/** The app's settings from the environment (main.ts adds the logger and, with REDIS_URL, the Redis client). */
export function gatewaySettings(config: Static<typeof GatewayConfig>, redis?: Redis): Omit<GatewayAppDeps, 'logger'> {
  return {
    jwtSecret: config.JWT_SECRET,
    tokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    upstreams: {
      userServiceUrl: config.USER_SERVICE_URL,
      orderServiceUrl: config.ORDER_SERVICE_URL,
      inventoryServiceUrl: config.INVENTORY_SERVICE_URL,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      passwordTimeoutMs: config.PASSWORD_UPSTREAM_TIMEOUT_MS,
      breakerConsecutiveFailures: config.BREAKER_CONSECUTIVE_FAILURES,
      breakerOpenMs: config.BREAKER_OPEN_MS,
    },
    rateLimit: {
      max: config.RATE_LIMIT_MAX,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      authMax: config.AUTH_RATE_LIMIT_MAX,
      cacheSize: config.RATE_LIMIT_CACHE_SIZE,
      ...(redis ? { redis } : {}),
    },
  };
}
