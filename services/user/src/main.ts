/** Process entry of the user service. */
import './instrument'; // first: tracing must patch modules before they load
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { passwordCostOf, UserServiceConfig } from './config';
import { migrations } from './migrations';
import { orderHistoryHandlers } from './order-history/order-history';

void runService({
  name: 'user-service',
  config: UserServiceConfig,
  database: { migrations },
  messaging: { service: 'user', handlers: () => orderHistoryHandlers },
  buildApp: ({ config, deps }) => buildApp({ ...deps, passwordCost: passwordCostOf(config) }),
});
