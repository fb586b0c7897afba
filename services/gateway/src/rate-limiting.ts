/**
 * Rate limiting with @fastify/rate-limit: one budget per verified customer across the whole API, per IP for anonymous
 * callers, and a stricter per-IP budget on token issuance (password guessing). Counters live in a bounded in-memory
 * LRU by default — the least recently seen clients are forgotten, so 100,000 distinct clients cannot grow it past
 * `cacheSize` — or in Redis, so several gateway instances enforce one shared limit.
 *
 * Headers follow draft-ietf-httpapi-ratelimit-headers (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`),
 * with `Retry-After` on a 429, which is a problem+json like every other error.
 */
import rateLimit from '@fastify/rate-limit';
import { HttpProblem, type FastifyRequest, type ServiceApp } from '@shop/service-kit';
import type { Redis } from 'ioredis';

export interface RateLimitSettings {
  /** Requests per window per customer (per IP when anonymous). */
  max: number;
  windowMs: number;
  /** Requests per window per IP on `POST /api/auth/token`. */
  authMax: number;
  /** Clients the in-memory store remembers (ignored with Redis). */
  cacheSize: number;
  /** Share the counters through Redis instead of keeping them in this process. */
  redis?: Redis;
  /** Key prefix in Redis; instances that must share a limit use the same one. */
  redisPrefix?: string;
}

/** The verified customer when there is one (identified in onRequest), otherwise the client's address. */
export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  return principal?.kind === 'customer' ? `customer:${principal.customerId}` : `ip:${request.ip}`;
}

/** Per-route config for the token endpoint: per IP whatever the token, and a lower ceiling. */
export function authRateLimit(settings: RateLimitSettings) {
  return {
    max: settings.authMax,
    timeWindow: settings.windowMs,
    cache: settings.cacheSize,
    keyGenerator: (request: FastifyRequest) => `ip:${request.ip}`,
  };
}

export async function registerRateLimiting(app: ServiceApp, settings: RateLimitSettings): Promise<void> {
  await app.register(rateLimit, {
    max: settings.max,
    timeWindow: settings.windowMs,
    cache: settings.cacheSize,
    ...(settings.redis ? { redis: settings.redis, nameSpace: settings.redisPrefix ?? 'gateway-rate-limit:' } : {}),
    // After authentication has identified the caller (onRequest), before the body is read.
    hook: 'preParsing',
    keyGenerator: rateLimitKey,
    enableDraftSpec: true,
    // Redis unreachable: serve traffic unlimited rather than refuse everyone (logged by the error path below).
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(
        context.statusCode,
        'rate-limited',
        'Too many requests',
        `Rate limit of ${context.max} requests exceeded; retry in ${context.after}`,
        { limit: context.max },
      ),
  });
}
