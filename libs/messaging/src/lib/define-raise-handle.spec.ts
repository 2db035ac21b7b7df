import { randomUUID } from 'node:crypto';
import {
  type DynamicModule,
  type INestApplicationContext,
  Injectable,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, EventBus, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketCreated } from '@helpdesk/contracts';
import { DatabaseModule, withTransaction } from '@helpdesk/database';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { consumerMigrations } from './consumer/inbox.migration';
import { EventConsumer } from './consumer/event-consumer';
import { EventConsumerModule } from './consumer/event-consumer.module';
import { OutboxModule } from './outbox/outbox.module';
import { outboxMigrations } from './outbox/outbox.migration';
import { raise } from './outbox/raise';
import { fixtureEnv, migrateFixture, ticketCreatedPayload } from './test/shared-fixtures';

/** What an app's handler saw, in order. */
@Injectable()
class Seen {
  readonly eventIds: string[] = [];
}

@EventsHandler(TicketCreated)
class RecordTicketCreated implements IEventHandler<TicketCreated> {
  constructor(private readonly seen: Seen) {}

  handle(event: TicketCreated): void {
    this.seen.eventIds.push(event.eventId);
  }
}

const migrations = [...outboxMigrations, ...consumerMigrations];

/** A service as the issue describes it: it raises ticket.created and handles it, nothing else wired. */
@Module({})
class ServiceModule {
  static for(serviceName: string, databaseUrl: string, brokerUrl: string): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        CqrsModule.forRoot(),
        DatabaseModule.forService({
          serviceName,
          entities: [],
          migrations,
          env: fixtureEnv(serviceName, databaseUrl),
          poolSize: 4,
        }),
        OutboxModule.forService({ serviceName, relay: { url: brokerUrl } }),
        EventConsumerModule.forService({ serviceName, url: brokerUrl, retryDelaysMs: [100] }),
      ],
      providers: [Seen, RecordTicketCreated],
    };
  }
}

describe('define, raise, handle: an integration event across two services', () => {
  let vhost: TestVhost;
  const databases: TestDatabase[] = [];
  const apps: INestApplicationContext[] = [];

  async function startService(serviceName: string): Promise<INestApplicationContext> {
    const database = await createTestDatabase({ prefix: 'drh' });
    databases.push(database);
    await migrateFixture(serviceName, migrations, database.url);
    const app = await NestFactory.createApplicationContext(
      ServiceModule.for(serviceName, database.url, vhost.url),
      { logger: ['error'] },
    );
    apps.push(app);
    await app.init();
    await app.get(EventConsumer).waitUntilConnected();
    return app;
  }

  beforeAll(async () => {
    vhost = await createTestVhost({ prefix: 'drh' });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const database of databases) await database.drop();
    await vhost?.drop();
  });

  it('reaches the handlers of the raising service and of another service, once each', async () => {
    const tickets = await startService('tickets-service');
    const audit = await startService('audit-like-service');
    const ticketId = randomUUID();
    const event = raise(TicketCreated, {
      tenantId: randomUUID(),
      aggregateId: ticketId,
      aggregateVersion: 1,
      payload: ticketCreatedPayload(ticketId),
    });

    await withTransaction(tickets.get(DataSource), async () => {
      await tickets.get(EventBus).publish(event);
    });

    await eventually(async () => {
      for (const app of [tickets, audit]) {
        const [{ count }] = await app
          .get(DataSource)
          .query('SELECT count(*)::int AS count FROM inbox WHERE event_id = $1', [event.eventId]);
        expect(count).toBe(1);
      }
    });
    // A local dispatch would have happened at commit, before the broker
    // delivered: one entry each once the inbox rows exist means exactly once.
    expect(tickets.get(Seen).eventIds).toEqual([event.eventId]);
    expect(audit.get(Seen).eventIds).toEqual([event.eventId]);
  });
});
