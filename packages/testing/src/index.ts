export {
  testEngines,
  createTestDatabase,
  startPostgresRelay,
  type TestDatabase,
  type PostgresRelay,
} from '@shop/db/testing';
export { eventually, type EventuallyOptions } from './eventually';
export { signTestToken, bearer, type TestTokenClaims } from './tokens';
export {
  startServiceProcess,
  type ServiceProcess,
  type ServiceProcessOptions,
  type ExitStatus,
} from './service-process';
export { startTestSnsSqs, type TestSnsSqs } from './sns-sqs';
export { LOCALSTACK_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE } from './containers/images';
