import { serviceConfigSchema, Type } from '@shop/service-kit';

const onOff = (description: string) =>
  Type.Union([Type.Literal('on'), Type.Literal('off')], { default: 'off', description });

export const InventoryServiceConfig = serviceConfigSchema(3003, {
  DATABASE_URL: Type.Optional(
    Type.String({ pattern: '^postgres(ql)?://', description: 'Use Postgres instead of PGlite' }),
  ),
  DATA_DIR: Type.String({
    default: '.data/inventory',
    description: 'PGlite data directory (when DATABASE_URL is unset)',
  }),
  AWS_ENDPOINT_URL: Type.Optional(
    Type.String({ pattern: '^https?://', description: 'SNS/SQS endpoint (local-aws, LocalStack)' }),
  ),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  SEED_CATALOGUE: onOff('Insert the demo catalogue at start-up (existing products keep their stock)'),
});
