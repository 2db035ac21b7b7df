import { randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserCreated, UserDeleted, type IntegrationEventBase } from '@helpdesk/contracts';
import { DatabaseModule, migrateServiceDatabase, withTransaction } from '@helpdesk/database';
import {
  consumerMigrations,
  consumerQueues,
  EventConsumer,
  EventConsumerModule,
  listDeadLetters,
  OutboxModule,
  outboxMigrations,
  raise,
} from '@helpdesk/messaging';
import {
  createTestDatabase,
  createTestVhost,
  eventually,
  type TestDatabase,
  type TestVhost,
} from '@helpdesk/testing';
import { BusinessCalendar } from '../domain/sla';
import { DEFAULT_SLA_POLICY } from '../domain/sla-policy';
import { Ticket } from '../domain/ticket';
import { migrations } from '../migrations';
import { entities, TicketSchema } from '../persistence/schemas';
import { userDirectoryMigrations, UserDirectoryModule } from '@helpdesk/user-directory';
import { UnassignDepartedUserHandler } from '../tickets/unassign-departed-user.handler';

const serviceName = 'ticket-service';
const allMigrations = [
  ...outboxMigrations,
  ...consumerMigrations,
  ...userDirectoryMigrations,
  ...migrations,
];

/**
 * ticket-service's messaging as production wires it, on a vhost of its own.
 * The same app stands in for user-service: what it raises goes through its
 * outbox and relay to `user.events`, like user-service's events do.
 */
@Module({})
class ConsumerTestModule {
  static for(databaseUrl: string, brokerUrl: string): DynamicModule {
    return {
      module: ConsumerTestModule,
      imports: [
        CqrsModule.forRoot(),
        DatabaseModule.forService({
          serviceName,
          entities,
          migrations: allMigrations,
          env: { TICKET_SERVICE_DATABASE_URL: databaseUrl },
          poolSize: 4,
        }),
        // Nobody is bound to ticket.events on this vhost: returned messages count as delivered.
        OutboxModule.forService({
          serviceName,
          relay: { url: brokerUrl, unroutable: 'published', pollIntervalMs: 100 },
        }),
        EventConsumerModule.forService({ serviceName, url: brokerUrl, retryDelaysMs: [50] }),
        UserDirectoryModule,
      ],
      providers: [UnassignDepartedUserHandler],
    };
  }
}

describe('ticket-service directory replica, fed through RabbitMQ', () => {
  let database: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplicationContext;
  let dataSource: DataSource;

  const publish = (...events: IntegrationEventBase[]) =>
    withTransaction(dataSource, async () => {
      for (const event of events) await app.get(EventBus).publish(event);
    });

  const userCreated = (tenantId: string, userId: string = randomUUID()) =>
    raise(UserCreated, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 1,
      payload: {
        userId,
        email: `agent-${userId.slice(0, 8)}@acme.test`,
        name: 'Agent',
        role: 'agent',
        departmentId: null,
        active: true,
        source: 'invitation',
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase({ prefix: 'tdirq' });
    vhost = await createTestVhost({ prefix: 'tdirq' });
    await migrateServiceDatabase({
      serviceName,
      entities,
      migrations: allMigrations,
      env: { TICKET_SERVICE_DATABASE_URL: database.url },
      logger: { log: () => undefined, error: () => undefined },
    });
    app = await NestFactory.createApplicationContext(
      ConsumerTestModule.for(database.url, vhost.url),
      { logger: ['error'] },
    );
    await app.init();
    await app.get(EventConsumer).waitUntilConnected();
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await vhost?.drop();
  });

  it('applies user events from the queue and unassigns a deleted user’s tickets, once', async () => {
    const tenantId = randomUUID();
    const created = userCreated(tenantId);
    const userId = created.aggregateId;
    await publish(created);
    await eventually(async () => {
      const rows = await dataSource.query('SELECT 1 FROM directory_user WHERE id = $1', [userId]);
      expect(rows).toHaveLength(1);
    });

    const ticket = Ticket.open(
      {
        tenantId,
        number: 1,
        title: 'VPN down',
        description: 'Since this morning.',
        priority: 'high',
        tags: [],
        requesterId: randomUUID(),
        departmentId: null,
      },
      { policy: DEFAULT_SLA_POLICY, calendar: new BusinessCalendar(null) },
    );
    ticket.assigneeId = userId;
    await dataSource.getRepository(TicketSchema).save(ticket);

    const deleted = raise(UserDeleted, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 2,
      payload: { userId },
    });
    await publish(deleted);
    await eventually(async () => {
      const [row] = await dataSource.query(
        'SELECT count(*)::int AS count FROM inbox WHERE event_id = $1',
        [deleted.eventId],
      );
      expect(row.count).toBe(1);
    });
    expect(
      (await dataSource.getRepository(TicketSchema).findOneByOrFail({ id: ticket.id })).assigneeId,
    ).toBeNull();
    const assigned = await dataSource.query(
      `SELECT envelope FROM outbox WHERE event_type = 'ticket.assigned' AND aggregate_id = $1`,
      [ticket.id],
    );
    expect(assigned).toHaveLength(1);
    expect(assigned[0].envelope.payload).toMatchObject({
      previousAssigneeId: userId,
      assigneeId: null,
    });
    expect(assigned[0].envelope.metadata.causationId).toBe(deleted.eventId);
  });

  it('dead-letters an event that would move a user into another organization', async () => {
    const tenantId = randomUUID();
    const created = userCreated(tenantId);
    await publish(created);
    await eventually(async () => {
      const rows = await dataSource.query('SELECT 1 FROM directory_user WHERE id = $1', [
        created.aggregateId,
      ]);
      expect(rows).toHaveLength(1);
    });
    const hijack = userCreated(randomUUID(), created.aggregateId);
    await publish(hijack);
    const { deadLetter } = consumerQueues(serviceName, 1);
    await eventually(
      async () => {
        const letters = await listDeadLetters({ queue: deadLetter, url: vhost.url });
        expect(letters.find((letter) => letter.eventId === hijack.eventId)).toMatchObject({
          eventType: 'user.created',
          reason: 'failed',
          error: expect.stringContaining('CrossTenantEventError'),
        });
      },
      { timeoutMs: 20_000 },
    );
    const [row] = await dataSource.query('SELECT tenant_id FROM directory_user WHERE id = $1', [
      created.aggregateId,
    ]);
    expect(row.tenant_id).toBe(tenantId);
  });
});
