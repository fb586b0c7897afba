/** Process entry of the gateway. */
import './instrument'; // first: tracing must patch modules before they load
import type { StateChange } from '@shop/resilience';
import { runService } from '@shop/service-kit';
import { createMetricsServer } from '@shop/telemetry';
import { Redis } from 'ioredis';
import { buildApp } from './app';
import { GatewayConfig } from './config';

void runService({
  name: 'gateway',
  configSchema: GatewayConfig,
  async start({ config, logger }) {
    // Fail fast instead of queueing commands while Redis is away: the limiter then lets traffic through (skipOnError).
    const redis = config.REDIS_URL
      ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 1_000 })
      : undefined;
    redis?.on('error', (err) => logger.warn({ err }, 'redis unavailable: rate limits are not enforced meanwhile'));

    const app = await buildApp({
      logger,
      jwtSecret: config.JWT_SECRET,
      tokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      upstreams: {
        userServiceUrl: config.USER_SERVICE_URL,
        orderServiceUrl: config.ORDER_SERVICE_URL,
        inventoryServiceUrl: config.INVENTORY_SERVICE_URL,
        timeoutMs: config.UPSTREAM_TIMEOUT_MS,
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
    });
    for (const upstream of Object.values(app.upstreams)) {
      upstream.breaker.onStateChange((change: StateChange) => logger.warn(change, 'upstream circuit changed'));
    }
    // Prometheus scrapes this port; the public PORT has no /metrics (see app.ts).
    const metricsServer = createMetricsServer({ registry: app.metrics, host: config.HOST, port: config.METRICS_PORT });
    return {
      app,
      resources: [metricsServer, ...(redis ? [{ close: () => void redis.disconnect() }] : [])],
      onListening: async () => logger.info({ url: await metricsServer.listen() }, 'metrics listening'),
    };
  },
});
