/**
 * Builds the order service's Fastify app from its dependencies; tests call this and use `app.inject()`.
 * The app owns its saga engine and order commands (decorated as `app.sagas` and `app.orders`); main.ts starts the
 * background parts (saga worker, consumer, outbox relay) once the server listens.
 */
import type { Clock } from '@shop/clock';
import { reportClientMetrics } from '@shop/service-client';
import { sagaMetrics } from '@shop/telemetry';
import type { Database } from '@shop/db';
import { createEventStore } from '@shop/event-store';
import type { CircuitBreakerOptions, RetryOptions } from '@shop/resilience';
import { createSagaEngine, SagaState, type SagaEngine, type SagaPolicies } from '@shop/saga';
import { outboxBacklog } from '@shop/messaging';
import {
  anyVerifiedCaller,
  createApp,
  onlyCustomers,
  onlyServices,
  registerOperatorRoutes,
  registerRoutesFor,
  signServiceToken,
  verifiesTokens,
  type Authentication,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import { Orders } from './orders';
import { OrderChanges } from './read-model/order-changes';
import { orderSummariesProjection } from './read-model/order-summaries-projection';
import { orderProblems } from './routes/domain-problems';
import { registerSagaOperatorRoutes } from './routes/operator-sagas';
import { registerOrderReadRoutes, registerPlaceOrderRoute } from './routes/orders';
import { registerSagaReadRoutes, registerSagaRetryRoute } from './routes/sagas';
import { withCrashPoint } from './saga/crash-points';
import { createParticipants } from './saga/participants';
import { placeOrderSaga } from './saga/place-order-saga';
import { cachedServiceToken } from './saga/service-token';

/**
 * The order service's app: a service app that also carries its saga engine (main.ts starts and stops its worker) and
 * its order commands (for the event consumer). A type of its own rather than an augmentation of Fastify's global
 * `FastifyInstance`, which would claim these properties for every Fastify app in the program.
 */
export type OrderApp = ServiceApp & { readonly sagas: SagaEngine; readonly orders: Orders };

export interface OrderAppDeps {
  db: Database;
  logger?: CreateAppOptions['logger'];
  /**
   * `{ secret }` in main.ts: verifies customer and service tokens, and signs the service token sent to participants.
   * Customers place orders; customers and services read them; services (operators) retry parked sagas.
   */
  authentication: Authentication;
  faultInjection?: boolean;
  participants: {
    inventoryUrl: string;
    paymentUrl: string;
    shippingUrl: string;
    /** Per HTTP attempt. Default 2000 ms. */
    timeoutMs?: number;
    retry?: Partial<RetryOptions>;
    breaker?: Partial<CircuitBreakerOptions>;
  };
  saga?: {
    pollIntervalMs?: number;
    /** The worker's slots (sagas at once). */
    concurrency?: number;
    leaseMs?: number;
    /** Replace fields of the step policies declared in saga/place-order-saga.ts (from configuration). */
    policies?: SagaPolicies;
    /** Test-only crash hook (see saga/crash-points.ts); main.ts passes it only with FAULT_INJECTION=on. */
    crashAt?: string;
  };
  /** Called after a transaction that enqueued integration events commits: the outbox relay's `wake`. */
  onEventsCommitted?: () => void;
  /** Wall time for the order's commands; a FakeClock in tests. */
  clock?: Clock;
}

export async function buildApp(deps: OrderAppDeps): Promise<OrderApp> {
  const { db } = deps;
  const app = await createApp({
    name: 'order-service',
    description: 'Orders: place an order (a saga over inventory, payment and shipping), follow it, list orders.',
    logger: deps.logger,
    readiness: { database: () => db.ping() },
    authentication: deps.authentication,
    problems: orderProblems,
    faultInjection: deps.faultInjection ?? false,
  });

  const store = createEventStore(db, { inlineProjections: [orderSummariesProjection] });
  const orders = new Orders(store, deps.clock ? { clock: deps.clock } : {});
  const serviceToken = verifiesTokens(deps.authentication)
    ? cachedServiceToken(() => signServiceToken(app, 'order-service'))
    : undefined;
  const participants = createParticipants({
    ...deps.participants,
    timeoutMs: deps.participants.timeoutMs ?? 2_000,
    authorization: () => serviceToken?.(),
  });
  const saga = placeOrderSaga({
    orders,
    participants,
    ...(deps.saga?.policies ? { overrides: deps.saga.policies } : {}),
  });
  const sagas = createSagaEngine({
    db,
    definitions: [deps.saga?.crashAt ? withCrashPoint(saga, deps.saga.crashAt) : saga],
    logger: app.log,
    ...(deps.saga?.pollIntervalMs ? { pollIntervalMs: deps.saga.pollIntervalMs } : {}),
    ...(deps.saga?.concurrency ? { concurrency: deps.saga.concurrency } : {}),
    ...(deps.saga?.leaseMs ? { leaseMs: deps.saga.leaseMs } : {}),
  });
  // Saga hooks append order events (and their outbox rows); publish them as soon as the hook's transaction commits:
  // after a step with an onCompleted hook, and after compensation (OrderCancelled). Other transitions (a step without
  // a hook, COMPLETED in the same commit as the last step, a retry, NEEDS_ATTENTION) enqueue nothing, and waking the
  // relay for them only costs it a query that finds nothing.
  const wake = () => deps.onEventsCommitted?.();
  const stepsThatAppend = new Set(saga.steps.filter((step) => step.onCompleted).map((step) => step.name));
  sagas.on('stepSucceeded', (event) => stepsThatAppend.has(event.step) && wake());
  sagas.on('stateChanged', (event) => event.to === SagaState.COMPENSATED && wake());
  // ...and answer the readers waiting on that order (GET /orders/{id} with Prefer: wait). They wait for the checkout
  // to settle, which is a saga state change (completed, compensated, parked); a step in between would only wake them
  // to read PENDING again.
  const changes = new OrderChanges(deps.clock);
  sagas.on('stateChanged', (event) => changes.notify(event.sagaId));
  app.addHook('preClose', async () => changes.close()); // a held request must not hold up a shutdown

  // What an operator watches: each participant's breaker and retries, and how many sagas sit in each state.
  reportClientMetrics(app.metrics, Object.values(participants.clients));
  const sagaWorkerMetrics = sagaMetrics(app.metrics, {
    instances: async () =>
      Object.entries(await sagas.countByState()).map(([state, count]) => ({ saga: saga.name, state, count })),
    slotsBusy: () => sagas.sagasInFlight(),
  });
  sagas.on('released', (event) => sagaWorkerMetrics.recordRun(event.sagaName, event.ranForMs / 1_000));

  const orderApp = Object.assign(app, { sagas, orders });
  const routes = { db, orders, sagas, changes, onEventsCommitted: wake };
  await registerRoutesFor(app, onlyCustomers, (customers) => registerPlaceOrderRoute(customers, routes));
  await registerRoutesFor(app, anyVerifiedCaller, (callers) => {
    registerOrderReadRoutes(callers, routes);
    registerSagaReadRoutes(callers, sagas);
  });
  await registerRoutesFor(app, onlyServices, (services) => registerSagaRetryRoute(services, sagas));
  registerOperatorRoutes(app, {
    outbox: () => outboxBacklog(db),
    breakers: () => Object.values(participants.clients).map((client) => client.breaker.metrics()),
    routes: (operator) => registerSagaOperatorRoutes(operator, sagas, saga),
  });
  return orderApp;
}
