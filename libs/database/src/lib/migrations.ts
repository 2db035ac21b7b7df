import { Logger } from '@nestjs/common';
import { Client, escapeIdentifier } from 'pg';
import { DataSource, MigrationExecutor, MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, databaseUrlFor, DatabaseServiceOptions } from './database-options';
import { PostgresErrorCode, postgresErrorCode } from './postgres-errors';

/** Where progress goes; Nest's Logger fits, and so does anything with these two methods. */
export interface MigrationLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface RunMigrationsOptions {
  logger?: MigrationLogger;
}

/**
 * Arbitrary but fixed: every replica of a service must contend for the same key.
 * Advisory locks are scoped to the current database, so services never block each other.
 */
const MIGRATION_LOCK_KEY = '7305148220315542961';

const MIGRATION_NAME_PATTERN = /\d{13}$/;

/**
 * TypeORM falls back to the class name when a migration has no `name`, and a
 * minifying bundler would rename the class: the same migration would then look
 * new and run twice. So a migration must carry its name explicitly.
 */
function assertNamedMigrations(migrations: ReadonlyArray<MigrationInterface>): void {
  for (const migration of migrations) {
    if (typeof migration.name !== 'string' || !MIGRATION_NAME_PATTERN.test(migration.name)) {
      throw new Error(
        `Migration class ${migration.constructor.name} needs an explicit name ending in a 13-digit timestamp, ` +
          `e.g. \`name = 'CreateTickets1700000000000'\` (got ${JSON.stringify(migration.name)}).`,
      );
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function findFailedMigration(
  executor: MigrationExecutor,
  pending: string[],
): Promise<string | undefined> {
  try {
    const executed = new Set(
      (await executor.getExecutedMigrations()).map((migration) => migration.name),
    );
    return pending.find((name) => !executed.has(name));
  } catch {
    return undefined; // the connection itself is gone; the original error says why
  }
}

async function applyPending(
  dataSource: DataSource,
  queryRunner: QueryRunner,
  logger: MigrationLogger,
): Promise<string[]> {
  const executor = new MigrationExecutor(dataSource, queryRunner);
  executor.transaction = 'each';
  const pending = (await executor.getPendingMigrations()).map((migration) => migration.name);
  if (pending.length === 0) {
    logger.log('Database schema is up to date; no pending migrations.');
    return [];
  }
  logger.log(`Applying ${pending.length} pending migration(s): ${pending.join(', ')}`);
  try {
    const applied = await executor.executePendingMigrations();
    for (const migration of applied) logger.log(`Applied migration ${migration.name}`);
    return applied.map((migration) => migration.name);
  } catch (error) {
    const failed = await findFailedMigration(executor, pending);
    logger.error(
      `Migration ${failed ?? '(unknown)'} failed and was rolled back: ${messageOf(error)}`,
    );
    throw error;
  }
}

/**
 * Applies the DataSource's pending migrations, each in its own transaction, and
 * returns the names applied (none when up to date). Replicas starting together
 * serialise on an advisory lock: the first applies, the others then find nothing to do.
 */
export async function runMigrations(
  dataSource: DataSource,
  options: RunMigrationsOptions = {},
): Promise<string[]> {
  assertNamedMigrations(dataSource.migrations);
  const logger = options.logger ?? new Logger('Migrations');
  const queryRunner = dataSource.createQueryRunner();
  try {
    // Neither waiting for another replica nor a long migration may hit the app's statement timeout.
    await queryRunner.query('SET statement_timeout = 0');
    await queryRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    let outcome: { applied: string[] } | { error: unknown };
    try {
      outcome = { applied: await applyPending(dataSource, queryRunner, logger) };
    } catch (error) {
      outcome = { error };
    }
    try {
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await queryRunner.query('RESET statement_timeout');
    } catch (cleanupError) {
      if (!('error' in outcome)) throw cleanupError;
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.applied;
  } finally {
    await queryRunner.release();
  }
}

/**
 * Creates the database named in `url` when it does not exist yet, connecting to the
 * `postgres` maintenance database with the same credentials. Returns whether it created it.
 * Two callers racing are fine: the loser sees the database as already there.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const databaseName = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!databaseName) throw new Error('ensureDatabase: the URL names no database.');
  const maintenanceUrl = new URL(url);
  maintenanceUrl.pathname = '/postgres';

  const client = new Client({
    connectionString: maintenanceUrl.toString(),
    application_name: 'helpdesk-ensure-database',
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      databaseName,
    ]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${escapeIdentifier(databaseName)}`);
      return true;
    } catch (error) {
      // A concurrent CREATE DATABASE either reports the duplicate or trips pg_database's unique index.
      const code = postgresErrorCode(error);
      if (
        code === PostgresErrorCode.duplicateDatabase ||
        code === PostgresErrorCode.uniqueViolation
      )
        return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/**
 * What `node main.js migrate` does: make sure the service's database exists, then
 * apply its pending migrations. Returns the names applied.
 */
export async function migrateServiceDatabase(
  options: DatabaseServiceOptions & RunMigrationsOptions,
): Promise<string[]> {
  const { logger, ...serviceOptions } = options;
  const created = await ensureDatabase(databaseUrlFor(options.serviceName, options.env));
  if (created)
    (logger ?? new Logger('Migrations')).log(`Created database for ${options.serviceName}`);
  const dataSource = createDataSource({ ...serviceOptions, poolSize: 2 });
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource, { logger });
  } finally {
    await dataSource.destroy();
  }
}
