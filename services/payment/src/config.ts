import { databaseConfig, messagingConfig, serviceConfigSchema, Type } from '@shop/service-kit';

export const PaymentServiceConfig = serviceConfigSchema(3004, {
  ...databaseConfig('payment'),
  ...messagingConfig,
  IDEMPOTENCY_WAIT_MS: Type.Integer({
    minimum: 1,
    default: 5_000,
    description: 'How long a duplicate request waits for the first one with its Idempotency-Key before answering 409',
  }),
  IDEMPOTENCY_KEY_RETENTION_MS: Type.Integer({
    minimum: 60_000,
    default: 86_400_000,
    description: 'Idempotency-Key records older than this are pruned (hourly); a repeat after that is a new request',
  }),
});
