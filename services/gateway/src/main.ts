/** Process entry of the gateway. */
import './instrument'; // first: tracing must patch modules before they load
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { GatewayConfig, gatewaySettings } from './config';
import { metricsListener } from './metrics-listener';
import { connectRedis } from './redis-client';

void runService({
  name: 'gateway',
  config: GatewayConfig,
  buildApp: ({ config, deps: { logger }, closeOnShutdown }) => {
    const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : undefined;
    if (redis) closeOnShutdown({ close: () => redis.disconnect() });
    return buildApp({ logger, ...gatewaySettings(config, redis) });
  },
  workers: (app, { config }) => [metricsListener(app, { host: config.HOST, port: config.METRICS_PORT })],
});
