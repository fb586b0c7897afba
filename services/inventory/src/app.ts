/** Builds the inventory service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Clock } from '@shop/clock';
import type { Database } from '@shop/db';
import { outboxBacklog } from '@shop/messaging';
import {
  createApp,
  registerOperatorRoutes,
  requireServiceCaller,
  type AuthenticationOptions,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import { ProductStore } from './product-store';
import { ReservationStore } from './reservation-store';
import { registerProductRoutes } from './routes/products';
import { registerReservationRoutes } from './routes/reservations';

export interface InventoryAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
  /** Called after a transaction that wrote events commits: the outbox relay's `wake`. */
  onEventsCommitted?: () => void;
  /** Verify JWTs (always on in main.ts): customers may browse products; reservations are for services only. */
  authentication?: AuthenticationOptions;
  faultInjection?: CreateAppOptions['faultInjection'];
  /** Wall time for products and reservations; a FakeClock in tests. */
  clock?: Clock;
}

export async function buildApp({
  db,
  logger,
  onEventsCommitted,
  faultInjection,
  authentication,
  clock,
}: InventoryAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'inventory-service',
    description: 'The product catalogue and its stock; all-or-nothing reservations by order, with price snapshots.',
    logger,
    readiness: { database: () => db.ping() },
    faultInjection,
    authentication,
  });
  registerProductRoutes(app, new ProductStore(db, clock));
  const reservations = new ReservationStore(db, { clock, onEventsCommitted });
  await app.register(async (serviceOnly) => {
    serviceOnly.addHook('onRequest', requireServiceCaller);
    registerReservationRoutes(serviceOnly as ServiceApp, reservations);
  });
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(db) });
  return app;
}
