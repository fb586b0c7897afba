/** The order service's environment, and what it means for the app: participants, saga timing and policies. */
import { exponentialBackoff } from '@shop/resilience';
import { databaseConfig, httpUrl, messagingConfig, serviceConfigSchema, Type, type Static } from '@shop/service-kit';
import type { OrderAppDeps } from './app';
import { PLACE_ORDER_BACKOFF } from './saga/place-order-saga';

const ms = (defaultMs: number, description: string) => Type.Integer({ minimum: 1, default: defaultMs, description });
/** A setting that, when given, overrides what the saga file declares per step. */
const stepOverride = (description: string) => Type.Optional(Type.Integer({ minimum: 1, description }));

export const OrderServiceConfig = serviceConfigSchema(3001, {
  ...databaseConfig('order'),
  ...messagingConfig,
  INVENTORY_URL: httpUrl('http://127.0.0.1:3003', 'Inventory service (reservations)'),
  PAYMENT_URL: httpUrl('http://127.0.0.1:3004', 'Payment service (charges)'),
  SHIPPING_URL: httpUrl('http://127.0.0.1:3005', 'Shipping service (shipments)'),
  PARTICIPANT_TIMEOUT_MS: ms(2_000, 'Limit for one HTTP attempt to a participant (the client retries within a step)'),
  SAGA_STEP_TIMEOUT_MS: stepOverride(
    'Limit for every saga step attempt, HTTP retries included (default: per step, 10 s)',
  ),
  SAGA_POLL_MS: ms(1_000, 'How often the saga worker looks for due sagas (new ones are run at once)'),
  SAGA_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 256,
    default: 16,
    description: 'Sagas the worker runs at once (its slots); most of a saga is waiting on a participant',
  }),
  SAGA_LEASE_MS: ms(30_000, "How long after a crashed process's step timeout its sagas are picked up again"),
  SAGA_RETRY_INITIAL_MS: stepOverride('First backoff before a failed saga step is tried again (default 1 s, doubling)'),
  SAGA_RETRY_MAX_MS: stepOverride('Longest backoff between attempts of a saga step (default 60 s)'),
  BREAKER_MINIMUM_CALLS: ms(5, 'Calls a participant breaker must see before a failure rate can open it'),
  BREAKER_OPEN_MS: ms(10_000, 'How long an open participant breaker fails fast before letting a trial call through'),
  SAGA_CRASH_AT: Type.Optional(
    Type.String({ description: 'Test only, with FAULT_INJECTION=on: SIGKILL at e.g. after-invoke:processPayment' }),
  ),
});

/** The app's settings from the environment (main.ts adds the database, logger and authentication). */
export function orderAppSettings(
  config: Static<typeof OrderServiceConfig>,
): Pick<OrderAppDeps, 'participants' | 'saga'> {
  // Only what is configured replaces the per-step policies of saga/place-order-saga.ts.
  const retuned = config.SAGA_RETRY_INITIAL_MS !== undefined || config.SAGA_RETRY_MAX_MS !== undefined;
  const stepPolicy = {
    ...(config.SAGA_STEP_TIMEOUT_MS !== undefined ? { timeoutMs: config.SAGA_STEP_TIMEOUT_MS } : {}),
    ...(retuned
      ? {
          backoff: exponentialBackoff({
            initialMs: config.SAGA_RETRY_INITIAL_MS ?? PLACE_ORDER_BACKOFF.initialMs,
            maxMs: config.SAGA_RETRY_MAX_MS ?? PLACE_ORDER_BACKOFF.maxMs,
          }),
        }
      : {}),
  };
  return {
    participants: {
      inventoryUrl: config.INVENTORY_URL,
      paymentUrl: config.PAYMENT_URL,
      shippingUrl: config.SHIPPING_URL,
      timeoutMs: config.PARTICIPANT_TIMEOUT_MS,
      breaker: { minimumCalls: config.BREAKER_MINIMUM_CALLS, openDurationMs: config.BREAKER_OPEN_MS },
    },
    saga: {
      pollIntervalMs: config.SAGA_POLL_MS,
      concurrency: config.SAGA_CONCURRENCY,
      leaseMs: config.SAGA_LEASE_MS,
      policies: { invoke: stepPolicy, compensate: stepPolicy },
      // The crash hook exists only where faults may be injected: a stray SAGA_CRASH_AT in production does nothing.
      ...(config.FAULT_INJECTION === 'on' && config.SAGA_CRASH_AT ? { crashAt: config.SAGA_CRASH_AT } : {}),
    },
  };
}
