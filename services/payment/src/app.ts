/** Builds the payment service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
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
import { Payments } from './payments';
import type { PaymentProvider } from './provider/payment-provider';
import { SimulatedPaymentProvider } from './provider/simulated-provider';
import { paymentProblems } from './routes/domain-problems';
import { registerChargeAndRefundRoutes, registerPaymentReadRoutes } from './routes/payments';

export interface PaymentAppDeps {
  db: Database;
  /** Default: the simulated provider (test tokens, see README). */
  provider?: PaymentProvider;
  /** The outbox relay's `wake`, called after a transaction that wrote events commits. */
  onEventsCommitted?: () => void;
  logger?: CreateAppOptions['logger'];
  /** `{ secret }` in main.ts: charges and refunds are for services; a customer may read their own payments. */
  authentication: Authentication;
  faultInjection?: boolean;
  idempotencyWaitMs?: number;
  /** Wall time for payments and refunds; a FakeClock in tests. */
  clock?: Clock;
}

export async function buildApp(deps: PaymentAppDeps): Promise<ServiceApp> {
  const app = await createApp({
    name: 'payment-service',
    description: 'Payments: idempotent charges through a payment provider, refunds.',
    logger: deps.logger,
    readiness: { database: () => deps.db.ping() },
    faultInjection: deps.faultInjection ?? false,
    authentication: deps.authentication,
    problems: paymentProblems,
  });
  const payments = new Payments({
    db: deps.db,
    provider: deps.provider ?? new SimulatedPaymentProvider(),
    ...(deps.onEventsCommitted ? { onEventsCommitted: deps.onEventsCommitted } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.idempotencyWaitMs ? { idempotencyWaitMs: deps.idempotencyWaitMs } : {}),
  });
  await registerRoutesFor(app, onlyServices, (services) => registerChargeAndRefundRoutes(services, payments));
  await registerRoutesFor(app, anyVerifiedCaller, (callers) => registerPaymentReadRoutes(callers, payments));
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(deps.db) });
  return app;
}
