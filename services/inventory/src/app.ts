/** Builds the inventory service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Clock } from '@shop/clock';
import type { Database } from '@shop/db';
import { outboxBacklog } from '@shop/messaging';
import {
  anyVerifiedCaller,
  createApp,
  onlyServices,
  registerOperatorRoutes,
  registerRoutesFor,
  type Authentication,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import { ProductStore } from './product-store';
import { ReservationStore } from './reservation-store';
import { inventoryProblems } from './routes/domain-problems';
import { registerCatalogueChangeRoutes, registerCatalogueRoutes } from './routes/products';
import { registerReservationRoutes } from './routes/reservations';

export interface InventoryAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
  /** Called after a transaction that wrote events commits: the outbox relay's `wake`. */
  onEventsCommitted?: () => void;
  /** `{ secret }` in main.ts: customers may browse products; catalogue changes and reservations are for services. */
  authentication: Authentication;
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
    problems: inventoryProblems,
  });
  const products = new ProductStore(db, clock);
  const reservations = new ReservationStore(db, { clock, onEventsCommitted });
  await registerRoutesFor(app, anyVerifiedCaller, (callers) => registerCatalogueRoutes(callers, products));
  await registerRoutesFor(app, onlyServices, (services) => {
    registerCatalogueChangeRoutes(services, products);
    registerReservationRoutes(services, reservations);
  });
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(db) });
  return app;
}
