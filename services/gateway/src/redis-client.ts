/** The Redis client the rate limiter shares its counters through, when `REDIS_URL` is set. */
import { Redis } from 'ioredis';

export function connectRedis(url: string, logger: { warn(object: object, message: string): void }): Redis {
  // Fail fast instead of queueing commands while Redis is away: the limiter then lets traffic through (skipOnError).
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000 });
  redis.on('error', (err) => logger.warn({ err }, 'redis unavailable: rate limits are not enforced meanwhile'));
  return redis;
}
