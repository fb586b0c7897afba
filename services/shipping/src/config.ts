import { serviceConfigSchema, Type } from '@shop/service-kit';

export const ShippingServiceConfig = serviceConfigSchema(3005, {
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'Use Postgres instead of PGlite' })),
  DATA_DIR: Type.String({ default: '.data/shipping', description: 'PGlite data directory (when DATABASE_URL is unset)' }),
  AWS_ENDPOINT_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'local-aws or LocalStack; unset for AWS' })),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  DISPATCH_DELAY_MS: Type.Integer({ minimum: 0, default: 2_000, description: 'From CREATED to DISPATCHED' }),
  DELIVERY_DELAY_MS: Type.Integer({ minimum: 0, default: 5_000, description: 'From DISPATCHED to DELIVERED' }),
  DISPATCHER_POLL_MS: Type.Integer({ minimum: 10, default: 500, description: 'How often the dispatcher looks for due shipments' }),
  DISPATCHER_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 1_000, default: 50 }),
  CARRIER: Type.String({ minLength: 1, default: 'Resilient Parcel', description: 'Named in ShipmentDispatched' }),
});
