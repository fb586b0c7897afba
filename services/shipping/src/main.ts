/** Process entry of the shipping service. */
import './instrument'; // first: tracing must patch modules before they load
import { systemClock } from '@shop/clock';
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { dispatcherSettings, ShippingServiceConfig, shippingSchedule } from './config';
import { Dispatcher } from './dispatcher';
import { migrations } from './migrations';

void runService({
  name: 'shipping-service',
  config: ShippingServiceConfig,
  database: { migrations },
  messaging: { service: 'shipping' },
  buildApp: ({ config, deps }) => buildApp({ ...deps, schedule: shippingSchedule(config) }),
  // Moves shipments along from the database's `next_transition_at`, so it survives restarts.
  workers: (_app, { config, deps: { db, logger, onEventsCommitted } }) => [
    new Dispatcher({ db, logger, onEventsCommitted, clock: systemClock, ...dispatcherSettings(config) }),
  ],
});
