export {
  testEngines,
  describeOnPostgres,
  itOnEngine,
  createTestDatabase,
  startPostgresRelay,
  testResources,
  SetupOutlivedTeardownError,
  type TestDatabase,
  type PostgresRelay,
  type TestResources,
  type Track,
} from '@shop/db/testing';
export { eventually, type EventuallyOptions } from './eventually';
export { signTestToken, bearer, type TestTokenClaims } from './tokens';
export {
  ServiceProcess,
  startServiceProcess,
  type ServiceProcessOptions,
  type StartupPhase,
  type ExitStatus,
} from './service-process';
export { setFaults, clearFaults, type FaultRule, type FaultsCallOptions } from './faults';
export { startTestSnsSqs, type TestSnsSqs } from './sns-sqs';
export { LOCALSTACK_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE } from './containers/images';
export { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';
