import { Logger, LoggerService } from '@nestjs/common';
import { MigrationInterface } from 'typeorm';
import {
  createDataSource,
  databaseOptions,
  databaseUrlEnvVar,
  databaseUrlFor,
} from './database-options';
import { SnakeNamingStrategy } from './snake-naming.strategy';

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(): Promise<void> {
    /* not run here */
  }
  async down(): Promise<void> {
    /* not run here */
  }
}

const base = {
  serviceName: 'ticket-service',
  entities: [],
  migrations: [CreateNotes1700000000000],
  env: {},
};

describe('databaseOptions', () => {
  it('refuses to turn synchronize on', () => {
    expect(() => databaseOptions({ ...base, synchronize: true as unknown as false })).toThrow(
      /synchronize/,
    );
  });

  it('never synchronises, never runs migrations on boot, and names its migrations table', () => {
    const options = databaseOptions(base);

    expect(options).toMatchObject({
      type: 'postgres',
      synchronize: false,
      migrationsRun: false,
      dropSchema: false,
      migrationsTableName: 'schema_migrations',
      migrations: [CreateNotes1700000000000],
    });
    expect(options.namingStrategy).toBeInstanceOf(SnakeNamingStrategy);
  });

  it("reads the service's own URL variable", () => {
    const env = {
      TICKET_SERVICE_DATABASE_URL: 'postgres://app:secret@db.internal:6543/tickets',
      USER_SERVICE_DATABASE_URL: 'postgres://app:secret@db.internal:6543/users',
    };

    expect(databaseOptions({ ...base, env })).toMatchObject({
      url: 'postgres://app:secret@db.internal:6543/tickets',
    });
  });

  it('defaults to the local helpdesk_<name> database', () => {
    expect(databaseUrlEnvVar('notification-service')).toBe('NOTIFICATION_SERVICE_DATABASE_URL');
    expect(databaseUrlFor('notification-service', {})).toBe(
      'postgres://helpdesk:helpdesk@127.0.0.1:5432/helpdesk_notification',
    );
  });

  it('names the connections after the service and caps statements and idle transactions', () => {
    const options = databaseOptions({ ...base, poolSize: 4, statementTimeoutMs: 2_000 });

    expect(options).toMatchObject({
      applicationName: 'ticket-service',
      poolSize: 4,
      extra: { statement_timeout: 2_000, idle_in_transaction_session_timeout: expect.any(Number) },
    });
  });

  it('turns JIT compilation and parallel plans off: on shared cores they cost short statements more than they save', () => {
    expect(databaseOptions(base)).toMatchObject({
      extra: { options: '-c jit=off -c max_parallel_workers_per_gather=0' },
    });
  });

  it('keeps TypeORM refusing null/undefined where values, so a missing tenant id cannot match every row', () => {
    expect(databaseOptions(base)).toMatchObject({
      invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
    });
  });

  it('refuses globs, because a bundled app has no migration files to find', () => {
    expect(() =>
      databaseOptions({ ...base, migrations: ['dist/migrations/*.js'] as never }),
    ).toThrow(/imported classes/);
  });

  it('refuses a service name that cannot become an environment variable', () => {
    expect(() => databaseOptions({ ...base, serviceName: 'Ticket Service' })).toThrow(
      /service name/,
    );
  });

  it('creates a DataSource that is not connected yet, for CLI use', () => {
    const dataSource = createDataSource(base);

    expect(dataSource.isInitialized).toBe(false);
    expect(dataSource.options).toMatchObject({
      synchronize: false,
      applicationName: 'ticket-service',
    });
  });
});

describe('TypeORM logging', () => {
  class CapturingLogger implements LoggerService {
    readonly entries: Array<{ level: string; message: unknown; context: unknown }> = [];
    log(message: unknown, context?: unknown): void {
      this.entries.push({ level: 'log', message, context });
    }
    warn(message: unknown, context?: unknown): void {
      this.entries.push({ level: 'warn', message, context });
    }
    error(message: unknown, context?: unknown): void {
      this.entries.push({ level: 'error', message, context });
    }
  }

  afterEach(() => Logger.overrideLogger(true));

  it("goes through Nest's logger (the app's structured logger), not the console", () => {
    const captured = new CapturingLogger();
    Logger.overrideLogger(captured);
    const dataSource = createDataSource(base);

    dataSource.logger.log('warn', 'Postgres pool raised an error.');

    expect(captured.entries).toEqual([
      {
        level: 'warn',
        message: expect.stringContaining('Postgres pool raised an error.'),
        context: 'TypeORM',
      },
    ]);
  });

  it('never writes query parameters, which may hold secrets', () => {
    const captured = new CapturingLogger();
    Logger.overrideLogger(captured);
    const dataSource = createDataSource({ ...base, logging: ['error'] });

    dataSource.logger.logQueryError('duplicate key', 'INSERT INTO session (token) VALUES ($1)', [
      's3cret-token',
    ]);

    expect(captured.entries.length).toBeGreaterThan(0);
    expect(JSON.stringify(captured.entries)).not.toContain('s3cret-token');
  });
});
