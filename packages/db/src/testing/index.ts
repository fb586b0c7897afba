/** `@shop/db/testing`: test databases on every available engine (kept out of the main entry point). */
export { testEngines, createTestDatabase, type TestDatabase } from './test-databases';
export { startPostgresRelay, type PostgresRelay, type PostgresRelayOptions } from './postgres-relay';
