import { Server, Socket, createServer } from 'node:net';
import { Injectable, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { InjectRepository } from '@nestjs/typeorm';
import {
  Column,
  DataSource,
  Entity,
  MigrationInterface,
  PrimaryGeneratedColumn,
  QueryRunner,
  Repository,
} from 'typeorm';
import { createThrowawayDatabase, ThrowawayDatabase } from '../test-support/throwaway-database';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { DatabaseModule } from './database.module';
import { createDataSource } from './database-options';
import { runMigrations } from './migrations';

@Entity()
class StickyNote {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  bodyText!: string;
}

class CreateStickyNotes1700000000010 implements MigrationInterface {
  name = 'CreateStickyNotes1700000000010';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE sticky_note (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), body_text text NOT NULL)',
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sticky_note');
  }
}

/** A feature module's service, which only asks for a repository. */
@Injectable()
class StickyNotes {
  constructor(@InjectRepository(StickyNote) private readonly notes: Repository<StickyNote>) {}

  async add(bodyText: string): Promise<StickyNote> {
    return this.notes.save(this.notes.create({ bodyText }));
  }
}

@Module({ providers: [StickyNotes], exports: [StickyNotes] })
class StickyNotesModule {}

describe('DatabaseModule', () => {
  let database: ThrowawayDatabase;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    process.env['STICKY_SERVICE_DATABASE_URL'] = database.url;
    moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forService({
          serviceName: 'sticky-service',
          entities: [StickyNote],
          migrations: [CreateStickyNotes1700000000010],
        }),
        StickyNotesModule,
      ],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    delete process.env['STICKY_SERVICE_DATABASE_URL'];
    await database?.drop();
  });

  it("connects to the database named by the service's own URL variable, as that service", async () => {
    const dataSource = moduleRef.get(DataSource);

    const [row] = await dataSource.query(
      'SELECT current_database() AS name, current_setting($1) AS app',
      ['application_name'],
    );

    expect(row).toEqual({ name: database.name, app: 'sticky-service' });
  });

  it('gives feature modules repositories for its entities, on the migrated schema', async () => {
    await runMigrations(moduleRef.get(DataSource), {
      logger: { log: () => undefined, error: () => undefined },
    });

    const note = await moduleRef.get(StickyNotes).add('call the customer back');

    const rows = await moduleRef
      .get(DataSource)
      .query('SELECT body_text FROM sticky_note WHERE id = $1', [note.id]);
    expect(rows).toEqual([{ body_text: 'call the customer back' }]);
  });

  it('provides the database health indicator, up while the database answers', async () => {
    const indicator = moduleRef.get(DatabaseHealthIndicator);

    expect(indicator.name).toBe('database');
    expect(await indicator.check()).toEqual({ status: 'up' });
  });
});

/**
 * Forwards TCP to PostgreSQL until frozen; frozen, it swallows traffic without
 * answering — a database that hangs rather than refusing connections.
 */
class FreezableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private frozen = false;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (chunk) => this.frozen || upstream.write(chunk));
      upstream.on('data', (chunk) => this.frozen || client.write(chunk));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string')
      throw new Error('proxy has no TCP address');
    return address.port;
  }

  freeze(): void {
    this.frozen = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('DatabaseHealthIndicator', () => {
  let database: ThrowawayDatabase;

  beforeEach(async () => {
    database = await createThrowawayDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  function dataSourceFor(url: string): DataSource {
    return createDataSource({
      serviceName: 'probe-service',
      entities: [],
      migrations: [],
      poolSize: 1,
      logging: false, // the pool's warnings about the connections these tests break on purpose
      env: { PROBE_SERVICE_DATABASE_URL: url },
    });
  }

  it('is down, saying why, when the connection was never established', async () => {
    const indicator = new DatabaseHealthIndicator(dataSourceFor(database.url));

    expect(await indicator.check()).toEqual({
      status: 'down',
      error: expect.stringMatching(/not initialised/),
    });
  });

  it('is down when the database has gone away', async () => {
    const dataSource = await dataSourceFor(database.url).initialize();
    const indicator = new DatabaseHealthIndicator(dataSource);
    expect(await indicator.check()).toEqual({ status: 'up' });

    await database.drop();

    expect(await indicator.check()).toEqual({ status: 'down', error: expect.any(String) });
    await dataSource.destroy();
  });

  it('answers down instead of hanging when the database stops responding', async () => {
    const url = new URL(database.url);
    const proxy = new FreezableProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await proxy.start());
    const dataSource = await dataSourceFor(url.toString()).initialize();
    const indicator = new DatabaseHealthIndicator(dataSource);
    try {
      expect(await indicator.check()).toEqual({ status: 'up' });

      proxy.freeze();

      expect(await indicator.check()).toEqual({
        status: 'down',
        error: expect.stringMatching(/no answer/),
      });
    } finally {
      await proxy.stop();
      await dataSource.destroy().catch(() => undefined);
    }
  });
});
