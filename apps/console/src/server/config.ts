/** The console's configuration: where the services, the broker and the traces are. Environment variables only. */
import { httpUrl as url, messagingConfig, serviceConfigSchema, Type } from '@shop/service-kit';

export const ConsoleConfig = serviceConfigSchema(3006, {
  GATEWAY_URL: url('http://127.0.0.1:3000', 'The public API: the storefront goes through it'),
  ORDER_SERVICE_URL: url('http://127.0.0.1:3001', 'Order service: sagas, participant breakers, outbox'),
  USER_SERVICE_URL: url('http://127.0.0.1:3002', 'User service: outbox'),
  INVENTORY_SERVICE_URL: url('http://127.0.0.1:3003', 'Inventory service: outbox, fault injection'),
  PAYMENT_SERVICE_URL: url('http://127.0.0.1:3004', 'Payment service: outbox, fault injection'),
  SHIPPING_SERVICE_URL: url('http://127.0.0.1:3005', 'Shipping service: outbox'),
  ...messagingConfig,
  TRACE_COLLECTOR_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: "The demo's trace collector: the console draws its traces" }),
  ),
  JAEGER_UI_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'Jaeger UI as the browser reaches it: the console links traces there',
    }),
  ),
  REFRESH_MS: Type.Integer({
    minimum: 200,
    maximum: 60_000,
    default: 1_000,
    description: 'How often live views update',
  }),
  SCENARIO_RUNNER: Type.Union([Type.Literal('here'), Type.Literal('demo-process')], {
    default: 'here',
    description:
      '`demo-process`: `pnpm demo` started the console and runs scenarios for it (all eight); `here`: the console ' +
      'runs them itself against the gateway (those that need to control processes are unavailable)',
  }),
  ALLOWED_HOSTS: Type.String({
    default: 'localhost,127.0.0.1,[::1]',
    description: 'Host names the page may be served under (comma-separated): refuses DNS-rebinding pages',
  }),
});
