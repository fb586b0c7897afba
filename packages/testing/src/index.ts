export {
  testEngines,
  createTestDatabase,
  testResources,
  SetupOutlivedTeardownError,
  type TestDatabase,
  type TestResources,
  type Track,
} from '@shop/db/testing';
export { eventually, type EventuallyOptions } from './eventually';
export { signTestToken, bearer, type TestTokenClaims } from './tokens';
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions, type ExitStatus } from './service-process';
