/** Process entry of the order service. */
import './instrument'; // first: tracing must patch modules before they load
import { runService } from '@shop/service-kit';
import { buildApp, type OrderApp } from './app';
import { OrderServiceConfig, orderAppSettings } from './config';
import { orderEventHandlers } from './events/order-event-handlers';
import { migrations } from './migrations';

void runService({
  name: 'order-service',
  config: OrderServiceConfig,
  database: { migrations },
  messaging: { service: 'order', handlers: (app: OrderApp) => orderEventHandlers(app.orders) },
  buildApp: ({ config, deps }) => buildApp({ ...deps, ...orderAppSettings(config) }),
  // The saga worker's first pass resumes whatever a crash left behind.
  workers: (app) => [{ start: () => app.sagas.startWorker(), stop: () => app.sagas.stop() }],
});
