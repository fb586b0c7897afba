/** Builds the inventory service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Database } from '@shop/db';
import { createApp, type CreateAppOptions, type ServiceApp } from '@shop/service-kit';
import { ProductStore } from './product-store';
import { ReservationStore } from './reservation-store';
import { registerProductRoutes } from './routes/products';
import { registerReservationRoutes } from './routes/reservations';

export interface InventoryAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
  /** Called after a transaction that wrote events commits: the outbox relay's `wake`. */
  onEventsCommitted?: () => void;
  faultInjection?: CreateAppOptions['faultInjection'];
  now?: () => Date;
}

export async function buildApp({
  db,
  logger,
  onEventsCommitted,
  faultInjection,
  now,
}: InventoryAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'inventory-service',
    description: 'The product catalogue and its stock; all-or-nothing reservations by order, with price snapshots.',
    logger,
    readiness: { database: () => db.ping() },
    faultInjection,
  });
  registerProductRoutes(app, new ProductStore(db, now));
  registerReservationRoutes(app, new ReservationStore(db, { now, onEventsCommitted }));
  return app;
}
