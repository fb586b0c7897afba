/** `@shop/db/testing`: test databases on every available engine, and resources closed even when setup times out. */
export { testEngines, describeOnPostgres, itOnEngine, createTestDatabase, type TestDatabase } from './test-databases';
export { startPostgresRelay, type PostgresRelay, type PostgresRelayOptions } from './postgres-relay';
export {
  testResources,
  SetupOutlivedTeardownError,
  type TestResources,
  type Track,
  type Closeable,
} from './test-resources';
