export type { Database, DatabaseCounters, Engine, Queryable, QueryResult, Row } from './database';
export { openDatabase, type OpenDatabaseOptions } from './open-database';
export { openPgliteDatabase, type PgliteOptions } from './pglite-database';
export { openPostgresDatabase, type PostgresOptions } from './postgres-database';
export { runMigrations, listMigrationFiles, type MigrationResult, type MigrationSource } from './migrations';
export {
  SqlState,
  sqlStateOf,
  isUniqueViolation,
  isCheckViolation,
  classifyDatabaseError,
  type DatabaseFailure,
} from './errors';
export { withoutQueryData } from './query-errors';
export {
  createRetentionJob,
  pruneExpiredRows,
  type RetentionJob,
  type RetentionJobOptions,
  type RetentionLogger,
  type RetentionRule,
  type TableRows,
} from './retention';
export { alongside, runStatement, runStatements, type Statement } from './statements';
