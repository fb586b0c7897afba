import { databaseConfig, messagingConfig, serviceConfigSchema, Type, type Static } from '@shop/service-kit';
import { OWASP_SCRYPT_COST, type ScryptCost } from './domain/password';

export const UserServiceConfig = serviceConfigSchema(3002, {
  ...databaseConfig('user'),
  ...messagingConfig,
  PASSWORD_SCRYPT_LOG2_N: Type.Integer({
    minimum: 10,
    maximum: 20,
    default: 17,
    description: 'scrypt cost of new password hashes, N = 2^value (17: OWASP; lower only for tests); r=8, p=1',
  }),
});

/** The scrypt cost of new password hashes: OWASP's, with N from the environment. */
export function passwordCostOf(config: Static<typeof UserServiceConfig>): ScryptCost {
  return { ...OWASP_SCRYPT_COST, N: 2 ** config.PASSWORD_SCRYPT_LOG2_N };
}
