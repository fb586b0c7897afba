/** Process entry of the console: config, the AWS clients, the scenario runner, the app; then listen. */
import { createAwsClients, destroyAwsClients } from '@shop/messaging';
import { runService } from '@shop/service-kit';
import { buildConsoleApp } from './app';
import { ConsoleConfig } from './config';
import { demoProcessScenarioRunner, inProcessScenarioRunner } from './scenario-runner';

// Started by `pnpm demo` with an IPC channel: it must not keep this process alive once the server has closed.
process.channel?.unref();

void runService({
  name: 'console',
  config: ConsoleConfig,
  buildApp({ config, deps: { logger }, closeOnShutdown }) {
    const aws = createAwsClients({ endpoint: config.AWS_ENDPOINT_URL, region: config.AWS_REGION });
    closeOnShutdown({ close: () => destroyAwsClients(aws) });
    return buildConsoleApp({
      logger,
      jwtSecret: config.JWT_SECRET,
      urls: {
        gateway: config.GATEWAY_URL,
        order: config.ORDER_SERVICE_URL,
        user: config.USER_SERVICE_URL,
        inventory: config.INVENTORY_SERVICE_URL,
        payment: config.PAYMENT_SERVICE_URL,
        shipping: config.SHIPPING_SERVICE_URL,
      },
      aws,
      brokerLabel: config.AWS_ENDPOINT_URL ? new URL(config.AWS_ENDPOINT_URL).host : 'AWS',
      traces: {
        ...(config.TRACE_COLLECTOR_URL ? { collectorUrl: config.TRACE_COLLECTOR_URL } : {}),
        ...(config.JAEGER_UI_URL ? { jaegerUrl: config.JAEGER_UI_URL } : {}),
      },
      scenarios:
        config.SCENARIO_RUNNER === 'demo-process'
          ? demoProcessScenarioRunner()
          : inProcessScenarioRunner(config.GATEWAY_URL),
      refreshMs: config.REFRESH_MS,
      allowedHosts: config.ALLOWED_HOSTS.split(',').map((host) => host.trim()),
    });
  },
});
