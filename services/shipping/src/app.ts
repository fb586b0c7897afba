/** Builds the shipping service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import { systemClock, type Clock } from '@shop/clock';
import type { Database } from '@shop/db';
import { outboxBacklog } from '@shop/messaging';
import {
  createApp,
  onlyServices,
  registerOperatorRoutes,
  registerRoutesFor,
  type Authentication,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import type { ShippingSchedule } from './domain/lifecycle';
import { shippingProblems } from './routes/domain-problems';
import { registerShipmentRoutes } from './routes/shipments';
import { ShipmentStore } from './shipment-store';

export interface ShippingAppDeps {
  db: Database;
  schedule: ShippingSchedule;
  /** Wall-clock epoch ms (timestamps are persisted); tests pass a FakeClock. Default: the system's. */
  clock?: Clock;
  /** Called after a change that wrote events commits: the outbox relay's `wake`. */
  onEventsCommitted?: () => void;
  logger?: CreateAppOptions['logger'];
  faultInjection?: boolean;
  /** `{ secret }` in main.ts; every shipment route is for services (the order saga) only. */
  authentication: Authentication;
}

export async function buildApp(deps: ShippingAppDeps): Promise<ServiceApp> {
  const { db } = deps;
  const app = await createApp({
    name: 'shipping-service',
    description: 'Shipments: created idempotently per order, cancellable until dispatched, dispatched and delivered.',
    logger: deps.logger,
    faultInjection: deps.faultInjection ?? false,
    authentication: deps.authentication,
    problems: shippingProblems,
    readiness: { database: () => db.ping() },
  });
  const store = new ShipmentStore({
    db,
    clock: deps.clock ?? systemClock,
    schedule: deps.schedule,
    ...(deps.onEventsCommitted ? { onEventsCommitted: deps.onEventsCommitted } : {}),
  });
  await registerRoutesFor(app, onlyServices, (services) => registerShipmentRoutes(services, store));
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(db) });
  return app;
}
