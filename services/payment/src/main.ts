/** Process entry of the payment service. */
import './instrument'; // first: tracing must patch modules before they load
import { runService } from '@shop/service-kit';
import { buildApp } from './app';
import { PaymentServiceConfig } from './config';
import { idempotencyKeyPruning } from './idempotency/idempotency-key-pruning';
import { migrations } from './migrations';

void runService({
  name: 'payment-service',
  config: PaymentServiceConfig,
  database: { migrations },
  messaging: { service: 'payment' },
  buildApp: ({ config, deps }) => buildApp({ ...deps, idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS }),
  workers: (app, { config, deps: { db, logger } }) => [
    idempotencyKeyPruning({ db, logger, metrics: app.metrics, retentionMs: config.IDEMPOTENCY_KEY_RETENTION_MS }),
  ],
});
