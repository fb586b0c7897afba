import { serviceConfigSchema, Type } from '@shop/service-kit';

const url = (defaultUrl: string, description: string) =>
  Type.String({ pattern: '^https?://', default: defaultUrl, description });
const ms = (defaultMs: number, description: string) => Type.Integer({ minimum: 1, default: defaultMs, description });

export const OrderServiceConfig = serviceConfigSchema(3001, {
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'Use Postgres instead of PGlite' }),
  ),
  DATA_DIR: Type.String({ default: '.data/order', description: 'PGlite data directory (when DATABASE_URL is unset)' }),
  AWS_ENDPOINT_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'SNS/SQS endpoint (local-aws, LocalStack)' }),
  ),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  PROVISION_TOPOLOGY: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'on',
    description:
      'Create the SNS/SQS topology at start-up if missing (idempotent); off where infrastructure code owns it',
  }),
  INVENTORY_URL: url('http://127.0.0.1:3003', 'Inventory service (reservations)'),
  PAYMENT_URL: url('http://127.0.0.1:3004', 'Payment service (charges)'),
  SHIPPING_URL: url('http://127.0.0.1:3005', 'Shipping service (shipments)'),
  PARTICIPANT_TIMEOUT_MS: ms(2_000, 'Limit for one HTTP attempt to a participant (the client retries within a step)'),
  SAGA_STEP_TIMEOUT_MS: ms(10_000, 'Limit for one saga step attempt, retries of the HTTP client included'),
  SAGA_POLL_MS: ms(1_000, 'How often the saga worker looks for due sagas (new ones are run at once)'),
  SAGA_LEASE_MS: ms(30_000, "How long after a crashed process's step timeout its sagas are picked up again"),
  SAGA_RETRY_INITIAL_MS: ms(1_000, 'First backoff before a failed saga step is tried again (grows exponentially)'),
  SAGA_RETRY_MAX_MS: ms(60_000, 'Longest backoff between attempts of a saga step'),
  BREAKER_MINIMUM_CALLS: ms(5, 'Calls a participant breaker must see before a failure rate can open it'),
  BREAKER_OPEN_MS: ms(10_000, 'How long an open participant breaker fails fast before letting a trial call through'),
  SAGA_CRASH_AT: Type.Optional(
    Type.String({ description: 'Test only, with FAULT_INJECTION=on: SIGKILL at e.g. after-invoke:processPayment' }),
  ),
});
