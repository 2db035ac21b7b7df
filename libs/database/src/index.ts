export {
  createDataSource,
  databaseOptions,
  databaseUrlEnvVar,
  databaseUrlFor,
  MIGRATIONS_TABLE_NAME,
  SERVICE_SESSION_OPTIONS,
} from './lib/database-options';
export type { DatabaseServiceOptions, EntityClass, MigrationClass } from './lib/database-options';
export { SnakeNamingStrategy } from './lib/snake-naming.strategy';
export { ensureDatabase, migrateServiceDatabase, runMigrations } from './lib/migrations';
export type { MigrationLogger, RunMigrationsOptions } from './lib/migrations';
export {
  afterCommit,
  currentManager,
  inOneSnapshot,
  isInTransaction,
  withTransaction,
} from './lib/transaction';
export type { TransactionIsolationLevel, TransactionOptions } from './lib/transaction';
export { PostgresErrorCode, postgresErrorCode } from './lib/postgres-errors';
export { DatabaseModule } from './lib/database.module';
export { DatabaseHealthIndicator } from './lib/database-health.indicator';
export { pageWithTotal } from './lib/page-with-total';
export type { PageSelection, SqlRunner } from './lib/page-with-total';
export { valuesPlaceholders } from './lib/values-placeholders';
