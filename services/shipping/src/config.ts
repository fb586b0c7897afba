import { databaseConfig, messagingConfig, serviceConfigSchema, Type, type Static } from '@shop/service-kit';
import type { DispatcherOptions } from './dispatcher';
import type { ShippingSchedule } from './domain/lifecycle';

export const ShippingServiceConfig = serviceConfigSchema(3005, {
  ...databaseConfig('shipping'),
  ...messagingConfig,
  DISPATCH_DELAY_MS: Type.Integer({ minimum: 0, default: 2_000, description: 'From CREATED to DISPATCHED' }),
  DELIVERY_DELAY_MS: Type.Integer({ minimum: 0, default: 5_000, description: 'From DISPATCHED to DELIVERED' }),
  DISPATCHER_POLL_MS: Type.Integer({
    minimum: 10,
    default: 500,
    description: 'How often the dispatcher looks for due shipments',
  }),
  DISPATCHER_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 1_000, default: 50 }),
  CARRIER: Type.String({ minLength: 1, default: 'Resilient Parcel', description: 'Named in ShipmentDispatched' }),
});

type ShippingConfig = Static<typeof ShippingServiceConfig>;

export function shippingSchedule(config: ShippingConfig): ShippingSchedule {
  return { dispatchDelayMs: config.DISPATCH_DELAY_MS, deliveryDelayMs: config.DELIVERY_DELAY_MS };
}

/** The dispatcher's settings from the environment (main.ts adds the database, clock, logger and `wake`). */
export function dispatcherSettings(
  config: ShippingConfig,
): Pick<DispatcherOptions, 'schedule' | 'carrier' | 'batchSize' | 'pollIntervalMs'> {
  return {
    schedule: shippingSchedule(config),
    carrier: config.CARRIER,
    batchSize: config.DISPATCHER_BATCH_SIZE,
    pollIntervalMs: config.DISPATCHER_POLL_MS,
  };
}
