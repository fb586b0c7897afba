import { serviceConfigSchema, Type } from '@shop/service-kit';

export const UserServiceConfig = serviceConfigSchema(3002, {
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://', description: 'Use Postgres instead of PGlite' })),
  DATA_DIR: Type.String({ default: '.data/user', description: 'PGlite data directory (when DATABASE_URL is unset)' }),
  AWS_ENDPOINT_URL: Type.Optional(Type.String({ description: 'SNS/SQS endpoint (local-aws, LocalStack); AWS when unset' })),
  AWS_REGION: Type.String({ default: 'us-east-1' }),
  PASSWORD_SCRYPT_LOG2_N: Type.Integer({
    minimum: 10,
    maximum: 20,
    default: 17,
    description: 'scrypt cost of new password hashes, N = 2^value (17: OWASP; lower only for tests); r=8, p=1',
  }),
});
