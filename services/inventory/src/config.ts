import { databaseConfig, messagingConfig, serviceConfigSchema, Type } from '@shop/service-kit';

export const InventoryServiceConfig = serviceConfigSchema(3003, {
  ...databaseConfig('inventory'),
  ...messagingConfig,
  SEED_CATALOGUE: Type.Union([Type.Literal('on'), Type.Literal('off')], {
    default: 'off',
    description: 'Insert the demo catalogue at start-up (existing products keep their stock)',
  }),
});
