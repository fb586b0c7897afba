/** Builds the payment service's Fastify app from its dependencies; tests call this and use `app.inject()`. */
import type { Clock } from '@shop/clock';
import type { Database } from '@shop/db';
import { outboxBacklog } from '@shop/messaging';
import {
  createApp,
  registerOperatorRoutes,
  type AuthenticationOptions,
  type CreateAppOptions,
  type ServiceApp,
} from '@shop/service-kit';
import { Payments } from './payments';
import type { PaymentProvider } from './provider/payment-provider';
import { SimulatedPaymentProvider } from './provider/simulated-provider';
import { registerPaymentRoutes } from './routes/payments';

export interface PaymentAppDeps {
  db: Database;
  /** Default: the simulated provider (test tokens, see README). */
  provider?: PaymentProvider;
  /** The outbox relay's `wake`, called after a transaction that wrote events commits. */
  onEventsCommitted?: () => void;
  logger?: CreateAppOptions['logger'];
  /** Verify JWTs on every request (always on in main.ts; in-process tests may leave it off). */
  authentication?: AuthenticationOptions;
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
    ...(deps.authentication ? { authentication: deps.authentication } : {}),
  });
  const payments = new Payments({
    db: deps.db,
    provider: deps.provider ?? new SimulatedPaymentProvider(),
    ...(deps.onEventsCommitted ? { onEventsCommitted: deps.onEventsCommitted } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.idempotencyWaitMs ? { idempotencyWaitMs: deps.idempotencyWaitMs } : {}),
  });
  registerPaymentRoutes(app, payments);
  registerOperatorRoutes(app, { outbox: () => outboxBacklog(deps.db) });
  return app;
}
