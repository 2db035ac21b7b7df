import {
  DataSource,
  DataSourceOptions,
  EntitySchema,
  LoggerOptions,
  MigrationInterface,
} from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { NestTypeOrmLogger } from './typeorm-logger';

/** An entity class; globs are refused because apps ship as webpack bundles with no entity files on disk. */
export type EntityClass = abstract new (...args: never[]) => unknown;
export type MigrationClass = new () => MigrationInterface;

export interface DatabaseServiceOptions {
  /** e.g. `ticket-service`; selects `TICKET_SERVICE_DATABASE_URL` and names the connections in pg_stat_activity. */
  serviceName: string;
  entities: ReadonlyArray<EntityClass | EntitySchema>;
  /** Imported migration classes, each with an explicit `name` ending in a 13-digit timestamp. */
  migrations: ReadonlyArray<MigrationClass>;
  /** Connections per process. */
  poolSize?: number;
  /** Server-side cap on any single statement; 0 disables it (long migrations). */
  statementTimeoutMs?: number;
  logging?: LoggerOptions;
  /** Where to read the URL from; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Schema changes go through migrations only: anything but `false` is refused. */
  synchronize?: false;
}

export const MIGRATIONS_TABLE_NAME = 'schema_migrations';

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
/** A transaction left open by a bug would hold locks and block vacuum; the server ends it. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 5_000;

const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function assertServiceName(serviceName: string): void {
  if (!SERVICE_NAME_PATTERN.test(serviceName)) {
    throw new Error(
      `Invalid service name "${serviceName}": use lower-case kebab-case, e.g. "ticket-service".`,
    );
  }
}

/** `ticket-service` → `TICKET_SERVICE_DATABASE_URL`. */
export function databaseUrlEnvVar(serviceName: string): string {
  assertServiceName(serviceName);
  return `${serviceName.replace(/-/g, '_').toUpperCase()}_DATABASE_URL`;
}

/** The service's database URL: its own env var, else the local default (`ticket-service` → `helpdesk_ticket`). */
export function databaseUrlFor(serviceName: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[databaseUrlEnvVar(serviceName)];
  if (configured) return configured;
  const databaseName = `helpdesk_${serviceName.replace(/-service$/, '').replace(/-/g, '_')}`;
  return `postgres://helpdesk:helpdesk@127.0.0.1:5432/${databaseName}`;
}

function assertClasses(kind: string, items: ReadonlyArray<unknown>): void {
  const notClass = items.find(
    (item) => typeof item !== 'function' && !(item instanceof EntitySchema),
  );
  if (notClass !== undefined) {
    throw new Error(
      `${kind} must be imported classes, not ${JSON.stringify(notClass)}: apps are bundled, globs find nothing.`,
    );
  }
}

function assertPositiveInteger(name: string, value: number, allowZero = false): void {
  if (!Number.isInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}.`,
    );
  }
}

/** DataSource options for a service's own PostgreSQL database, with the settings every service shares. */
export function databaseOptions(options: DatabaseServiceOptions): DataSourceOptions {
  const { serviceName, entities, migrations } = options;
  if ((options.synchronize as boolean | undefined) !== undefined && options.synchronize !== false) {
    throw new Error(
      `${serviceName}: synchronize is never allowed; change the schema with a migration.`,
    );
  }
  assertServiceName(serviceName);
  assertClasses('entities', entities);
  assertClasses('migrations', migrations);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  assertPositiveInteger('poolSize', poolSize);
  assertPositiveInteger('statementTimeoutMs', statementTimeoutMs, true);

  return {
    type: 'postgres',
    url: databaseUrlFor(serviceName, options.env),
    applicationName: serviceName,
    entities: [...entities],
    migrations: [...migrations],
    migrationsTableName: MIGRATIONS_TABLE_NAME,
    migrationsTransactionMode: 'each',
    migrationsRun: false,
    synchronize: false,
    dropSchema: false,
    namingStrategy: new SnakeNamingStrategy(),
    // Explicit although it is TypeORM 1.x's default: a where clause whose tenant id is
    // accidentally undefined must fail, not silently match every tenant's rows.
    invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    poolSize,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    logger: new NestTypeOrmLogger(options.logging ?? ['warn']),
    extra: {
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      options: SERVICE_SESSION_OPTIONS,
    },
  };
}

/**
 * Every service connection's settings. Short OLTP statements only: JIT
 * compilation (80–170 ms, measured on the 100k-ticket search) costs far more
 * than it could save, and a parallel plan spends more CPU in total to finish
 * one statement sooner — a bad trade when many requests already share the
 * cores (a staff search got 2 workers and cost more under load).
 */
export const SERVICE_SESSION_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0';

/** A DataSource (not yet initialised) for CLI use: migrations, seeding, the TypeORM CLI. */
export function createDataSource(options: DatabaseServiceOptions): DataSource {
  return new DataSource(databaseOptions(options));
}
