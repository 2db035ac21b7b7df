import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  createThrowawayDatabase,
  databaseExists,
  dropDatabase,
  ThrowawayDatabase,
  throwawayDatabaseUrl,
} from '../test-support/throwaway-database';
import { createDataSource, MigrationClass } from './database-options';
import {
  ensureDatabase,
  MigrationLogger,
  migrateServiceDatabase,
  runMigrations,
} from './migrations';

class CreateNotes1700000000001 implements MigrationInterface {
  name = 'CreateNotes1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE note (id serial PRIMARY KEY, body text NOT NULL)');
    await queryRunner.query(`INSERT INTO note (body) VALUES ('created by the migration')`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE note');
  }
}

class AddTags1700000000002 implements MigrationInterface {
  name = 'AddTags1700000000002';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE tag (id serial PRIMARY KEY)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tag');
  }
}

class BreakHalfway1700000000003 implements MigrationInterface {
  name = 'BreakHalfway1700000000003';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE half_done (id serial PRIMARY KEY)');
    await queryRunner.query('SELECT * FROM table_that_does_not_exist');
  }
  async down(): Promise<void> {
    /* never applied */
  }
}

async function advisoryLockWaiters(queryRunner: QueryRunner): Promise<number> {
  const [row] = await queryRunner.query(
    `SELECT count(*)::int AS waiting FROM pg_locks
      WHERE locktype = 'advisory' AND NOT granted
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return row.waiting;
}

/**
 * Holds its transaction open until another session is provably queued on the
 * migration lock: with two replicas starting together, this shows the second
 * one waits instead of running the migration alongside the first.
 */
class MarkReplica1700000000004 implements MigrationInterface {
  name = 'MarkReplica1700000000004';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE replica_mark (id serial PRIMARY KEY)');
    await queryRunner.query('INSERT INTO replica_mark DEFAULT VALUES');
    const deadline = Date.now() + 20_000;
    while ((await advisoryLockWaiters(queryRunner)) === 0) {
      if (Date.now() > deadline)
        throw new Error('the other replica never queued on the migration lock');
      await delay(25);
    }
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE replica_mark');
  }
}

class Unnamed1700000000005 implements MigrationInterface {
  async up(): Promise<void> {
    /* refused before running */
  }
  async down(): Promise<void> {
    /* refused before running */
  }
}

class RecordingLogger implements MigrationLogger {
  readonly lines: string[] = [];
  log(message: string): void {
    this.lines.push(message);
  }
  error(message: string): void {
    this.lines.push(`ERROR ${message}`);
  }
}

describe('ensureDatabase', () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await dropDatabase(name);
  });

  it('creates a database that does not exist, and leaves an existing one alone', async () => {
    const { name, url } = throwawayDatabaseUrl();
    created.push(name);

    expect(await ensureDatabase(url)).toBe(true);
    expect(await databaseExists(name)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
  });

  it('is safe when several callers race to create the same database', async () => {
    const { name, url } = throwawayDatabaseUrl();
    created.push(name);

    const outcomes = await Promise.all([
      ensureDatabase(url),
      ensureDatabase(url),
      ensureDatabase(url),
    ]);

    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(await databaseExists(name)).toBe(true);
  });
});

describe('runMigrations', () => {
  let database: ThrowawayDatabase;
  const dataSources: DataSource[] = [];

  beforeEach(async () => {
    database = await createThrowawayDatabase();
  });

  afterEach(async () => {
    for (const dataSource of dataSources.splice(0))
      if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  });

  async function replica(migrations: MigrationClass[]): Promise<DataSource> {
    const dataSource = createDataSource({
      serviceName: 'notes-service',
      entities: [],
      migrations,
      poolSize: 2,
      env: { NOTES_SERVICE_DATABASE_URL: database.url },
    });
    dataSources.push(dataSource);
    return dataSource.initialize();
  }

  async function count(dataSource: DataSource, sql: string): Promise<number> {
    const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM (${sql}) AS counted`);
    return row.n;
  }

  it('applies pending migrations once; a second run finds nothing to do', async () => {
    const dataSource = await replica([AddTags1700000000002, CreateNotes1700000000001]);
    const logger = new RecordingLogger();

    expect(await runMigrations(dataSource, { logger })).toEqual([
      'CreateNotes1700000000001',
      'AddTags1700000000002',
    ]);
    expect(await runMigrations(dataSource, { logger })).toEqual([]);

    expect(await count(dataSource, 'SELECT * FROM note')).toBe(1);
    expect(await count(dataSource, 'SELECT * FROM schema_migrations')).toBe(2);
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        'Applied migration CreateNotes1700000000001',
        'Applied migration AddTags1700000000002',
      ]),
    );
  });

  it('applies only what is new since the last run', async () => {
    await runMigrations(await replica([CreateNotes1700000000001]), {
      logger: new RecordingLogger(),
    });

    const upgraded = await replica([CreateNotes1700000000001, AddTags1700000000002]);

    expect(await runMigrations(upgraded, { logger: new RecordingLogger() })).toEqual([
      'AddTags1700000000002',
    ]);
  });

  it('applies a migration exactly once when two replicas start together', async () => {
    const [first, second] = await Promise.all([
      replica([MarkReplica1700000000004]),
      replica([MarkReplica1700000000004]),
    ]);

    const outcomes = await Promise.all([
      runMigrations(first, { logger: new RecordingLogger() }),
      runMigrations(second, { logger: new RecordingLogger() }),
    ]);

    expect(outcomes.flat()).toEqual(['MarkReplica1700000000004']);
    expect(await count(first, 'SELECT * FROM replica_mark')).toBe(1);
    expect(await count(first, 'SELECT * FROM schema_migrations')).toBe(1);
  });

  it('rolls back a failing migration, keeps the ones before it, and reports which one failed', async () => {
    const dataSource = await replica([CreateNotes1700000000001, BreakHalfway1700000000003]);
    const logger = new RecordingLogger();

    await expect(runMigrations(dataSource, { logger })).rejects.toThrow(
      /table_that_does_not_exist/,
    );

    expect(await count(dataSource, `SELECT * FROM pg_tables WHERE tablename = 'half_done'`)).toBe(
      0,
    );
    expect(
      await count(
        dataSource,
        `SELECT * FROM schema_migrations WHERE name = 'CreateNotes1700000000001'`,
      ),
    ).toBe(1);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^ERROR Migration BreakHalfway1700000000003 failed/),
    );
  });

  it('releases the migration lock after a failure, so the next run can proceed', async () => {
    const broken = await replica([BreakHalfway1700000000003]);
    await expect(runMigrations(broken, { logger: new RecordingLogger() })).rejects.toThrow();

    const fixed = await replica([CreateNotes1700000000001]);

    expect(await runMigrations(fixed, { logger: new RecordingLogger() })).toEqual([
      'CreateNotes1700000000001',
    ]);
  });

  it('refuses a migration without an explicit name, which a minifier could rename', async () => {
    const dataSource = await replica([Unnamed1700000000005]);

    await expect(runMigrations(dataSource)).rejects.toThrow(/explicit name/);
  });
});

describe('migrateServiceDatabase', () => {
  it("creates the service's database when missing and brings its schema up to date", async () => {
    const { name, url } = throwawayDatabaseUrl();
    const env = { NOTES_SERVICE_DATABASE_URL: url };
    try {
      const applied = await migrateServiceDatabase({
        serviceName: 'notes-service',
        entities: [],
        migrations: [CreateNotes1700000000001],
        env,
        logger: new RecordingLogger(),
      });

      expect(applied).toEqual(['CreateNotes1700000000001']);
      expect(await databaseExists(name)).toBe(true);
    } finally {
      await dropDatabase(name);
    }
  });
});
