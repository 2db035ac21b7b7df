import { randomUUID } from 'node:crypto';
import { type INestApplicationContext, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
// The key @EventsHandler() writes (what the consumer's registry reads too).
import { EVENTS_HANDLER_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import { DataSource } from 'typeorm';
import {
  DepartmentCreated,
  DepartmentDeleted,
  DepartmentUpdated,
  OrganizationCreated,
  OrganizationUpdated,
  UserCreated,
  UserDeleted,
  UserRoleChanged,
  UserUpdated,
  type IntegrationEventBase,
  type TicketPriority,
  type UserCreatedPayload,
} from '@helpdesk/contracts';
import { DatabaseModule, migrateServiceDatabase, withTransaction } from '@helpdesk/database';
import { consumerMigrations, OutboxModule, outboxMigrations, raise } from '@helpdesk/messaging';
import { createTestDatabase, type TestDatabase } from '@helpdesk/testing';
import { BusinessCalendar } from '../domain/sla';
import { DEFAULT_SLA_POLICY } from '../domain/sla-policy';
import { Ticket } from '../domain/ticket';
import { migrations } from '../migrations';
import { entities, TicketSchema } from '../persistence/schemas';
import {
  CrossTenantEventError,
  Directory,
  ReplicaRowMissingError,
  userDirectoryHandlers,
  userDirectoryMigrations,
  UserDirectoryModule,
} from '@helpdesk/user-directory';
import { UnassignDepartedUserHandler } from '../tickets/unassign-departed-user.handler';

/** What handles user-service's events in ticket-service: the shared replica and the ticket-side reaction. */
const directoryReplicaHandlers = [...userDirectoryHandlers, UnassignDepartedUserHandler];

const serviceName = 'ticket-service';
const allMigrations = [
  ...outboxMigrations,
  ...consumerMigrations,
  ...userDirectoryMigrations,
  ...migrations,
];

@Module({})
class ReplicaTestModule {
  static for(databaseUrl: string): DynamicModule {
    return {
      module: ReplicaTestModule,
      imports: [
        CqrsModule.forRoot(),
        DatabaseModule.forService({
          serviceName,
          entities,
          migrations: allMigrations,
          env: { TICKET_SERVICE_DATABASE_URL: databaseUrl },
          poolSize: 4,
        }),
        OutboxModule.forService({ serviceName, relay: { enabled: false } }),
        UserDirectoryModule,
      ],
      providers: [UnassignDepartedUserHandler],
    };
  }
}

const sla = () => ({ policy: DEFAULT_SLA_POLICY, calendar: new BusinessCalendar(null) });

describe('ticket-service directory replica (user-service events)', () => {
  let database: TestDatabase;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let directory: Directory;
  let ticketNumber = 0;

  const handlersOf = (event: IntegrationEventBase) =>
    directoryReplicaHandlers
      .map((type) => app.get<{ handle(event: IntegrationEventBase): Promise<void> }>(type))
      .filter((handler) => handlerTypeOf(handler) === event.constructor);

  /** The handlers of an event run as the consumer runs them: inside one transaction. */
  const deliver = async (event: IntegrationEventBase): Promise<void> => {
    const handlers = handlersOf(event);
    expect(handlers.length).toBeGreaterThan(0);
    await withTransaction(dataSource, async () => {
      for (const handler of handlers) await handler.handle(event);
    });
  };

  const handlerTypeOf = (handler: object): unknown =>
    (
      Reflect.getMetadata(EVENTS_HANDLER_METADATA, handler.constructor) as unknown[] | undefined
    )?.[0];

  const orgRow = async (id: string) =>
    (await dataSource.query('SELECT * FROM directory_organization WHERE id = $1', [id]))[0];
  const userRow = async (id: string) =>
    (await dataSource.query('SELECT * FROM directory_user WHERE id = $1', [id]))[0];
  const departmentRow = async (id: string) =>
    (await dataSource.query('SELECT * FROM directory_department WHERE id = $1', [id]))[0];

  // ---- events as user-service raises them ----
  const organizationCreated = (organizationId: string, overrides: { tenantId?: string } = {}) =>
    raise(OrganizationCreated, {
      tenantId: overrides.tenantId ?? organizationId,
      aggregateId: organizationId,
      aggregateVersion: 1,
      payload: {
        organizationId,
        name: 'Acme',
        slug: `acme-${organizationId.slice(0, 8)}`,
        allowSelfRegistration: false,
        businessHours: null,
        timezone: 'UTC',
      },
    });

  const userCreated = (
    tenantId: string,
    overrides: Partial<UserCreatedPayload> & { version?: number } = {},
  ) => {
    const { version, ...payload } = overrides;
    const userId = payload.userId ?? randomUUID();
    return raise(UserCreated, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: version ?? 1,
      payload: {
        userId,
        email: `u-${userId.slice(0, 8)}@acme.test`,
        name: 'Grace Agent',
        role: 'agent',
        departmentId: null,
        active: true,
        source: 'invitation',
        ...payload,
      },
    });
  };

  const userUpdated = (
    tenantId: string,
    userId: string,
    version: number,
    changes: UserUpdated['payload']['changes'],
  ) =>
    raise(UserUpdated, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: version,
      payload: { userId, changes },
    });

  const userDeleted = (tenantId: string, userId: string, version: number) =>
    raise(UserDeleted, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: version,
      payload: { userId },
      actor: { actorId: randomUUID(), actorType: 'user' },
    });

  const departmentCreated = (
    tenantId: string,
    departmentId: string = randomUUID(),
    name = 'Support',
  ) =>
    raise(DepartmentCreated, {
      tenantId,
      aggregateId: departmentId,
      aggregateVersion: 1,
      payload: { departmentId, name, description: null },
    });

  const newTenant = async (): Promise<string> => {
    const tenantId = randomUUID();
    await deliver(organizationCreated(tenantId));
    return tenantId;
  };

  const openTicket = async (
    tenantId: string,
    requesterId: string,
    assigneeId: string | null,
    priority: TicketPriority = 'normal',
  ): Promise<Ticket> => {
    const ticket = Ticket.open(
      {
        tenantId,
        number: ++ticketNumber,
        title: `Ticket ${ticketNumber}`,
        description: 'Something is broken.',
        priority,
        tags: [],
        requesterId,
        departmentId: null,
      },
      sla(),
    );
    ticket.assigneeId = assigneeId;
    return dataSource.getRepository(TicketSchema).save(ticket);
  };

  interface OutboxRow {
    aggregate_id: string;
    aggregate_version: number;
    tenant_id: string;
    envelope: { payload: Record<string, unknown>; metadata: Record<string, unknown> };
  }
  const outbox = async (eventType: string): Promise<OutboxRow[]> =>
    dataSource.query(
      'SELECT aggregate_id, aggregate_version, tenant_id, envelope FROM outbox WHERE event_type = $1 ORDER BY seq',
      [eventType],
    );

  beforeAll(async () => {
    database = await createTestDatabase({ prefix: 'tdir' });
    const env = { TICKET_SERVICE_DATABASE_URL: database.url };
    await migrateServiceDatabase({
      serviceName,
      entities,
      migrations: allMigrations,
      env,
      logger: { log: () => undefined, error: () => undefined },
    });
    app = await NestFactory.createApplicationContext(ReplicaTestModule.for(database.url), {
      logger: ['error'],
    });
    await app.init();
    dataSource = app.get(DataSource);
    directory = app.get(Directory);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  describe('organizations', () => {
    it('creates the organization, and a duplicate creation changes nothing', async () => {
      const tenantId = randomUUID();
      const created = organizationCreated(tenantId);
      await deliver(created);
      expect(await directory.organization(tenantId)).toEqual({
        id: tenantId,
        name: 'Acme',
        businessHours: null,
        timezone: 'UTC',
      });
      await deliver(
        raise(OrganizationUpdated, {
          tenantId,
          aggregateId: tenantId,
          aggregateVersion: 2,
          payload: { organizationId: tenantId, changes: { name: { from: 'Acme', to: 'Acme 2' } } },
        }),
      );
      await deliver(created);
      expect((await orgRow(tenantId)).name).toBe('Acme 2');
      expect((await orgRow(tenantId)).version).toBe(2);
    });

    it('applies changes.*.to, skipping what is not newer', async () => {
      const tenantId = await newTenant();
      const hours = { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
      const v3 = raise(OrganizationUpdated, {
        tenantId,
        aggregateId: tenantId,
        aggregateVersion: 3,
        payload: {
          organizationId: tenantId,
          changes: {
            businessHours: { from: null, to: hours },
            timezone: { from: 'UTC', to: 'Europe/Berlin' },
            slug: { from: 'a', to: 'b' },
          },
        },
      });
      const v2 = raise(OrganizationUpdated, {
        tenantId,
        aggregateId: tenantId,
        aggregateVersion: 2,
        payload: {
          organizationId: tenantId,
          changes: {
            name: { from: 'Acme', to: 'Stale name' },
            timezone: { from: 'UTC', to: 'Asia/Tokyo' },
          },
        },
      });
      await deliver(v3);
      await deliver(v2); // late: older than what is applied
      await deliver(v3); // duplicate
      expect(await directory.organization(tenantId)).toEqual({
        id: tenantId,
        name: 'Acme',
        businessHours: hours,
        timezone: 'Europe/Berlin',
      });
      expect((await orgRow(tenantId)).version).toBe(3);

      await deliver(
        raise(OrganizationUpdated, {
          tenantId,
          aggregateId: tenantId,
          aggregateVersion: 4,
          payload: {
            organizationId: tenantId,
            changes: { businessHours: { from: hours, to: null } },
          },
        }),
      );
      expect((await directory.organization(tenantId))?.businessHours).toBeNull();
    });

    it('refuses an organization event whose ids are not its tenant', async () => {
      const organizationId = randomUUID();
      const otherTenant = await newTenant();
      await expect(
        deliver(organizationCreated(organizationId, { tenantId: otherTenant })),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      expect(await orgRow(organizationId)).toBeUndefined();
      await expect(
        deliver(
          raise(OrganizationUpdated, {
            tenantId: otherTenant,
            aggregateId: otherTenant,
            aggregateVersion: 9,
            payload: { organizationId, changes: { name: { from: 'x', to: 'Hijacked' } } },
          }),
        ),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      expect((await orgRow(otherTenant)).name).toBe('Acme');
    });

    it('retries an update that arrives before the creation', async () => {
      const tenantId = randomUUID();
      const update = raise(OrganizationUpdated, {
        tenantId,
        aggregateId: tenantId,
        aggregateVersion: 2,
        payload: { organizationId: tenantId, changes: { name: { from: 'Acme', to: 'Later' } } },
      });
      await expect(deliver(update)).rejects.toBeInstanceOf(ReplicaRowMissingError);
      await deliver(organizationCreated(tenantId));
      await deliver(update); // the retry
      expect((await orgRow(tenantId)).name).toBe('Later');
    });
  });

  describe('departments', () => {
    it('creates, renames and tombstones a department, in version order', async () => {
      const tenantId = await newTenant();
      const created = departmentCreated(tenantId);
      const departmentId = created.aggregateId;
      await deliver(created);
      await deliver(created);
      expect(await directory.hasDepartment(tenantId, departmentId)).toBe(true);
      expect(await directory.hasDepartment(randomUUID(), departmentId)).toBe(false);

      const rename = (version: number, to: string) =>
        raise(DepartmentUpdated, {
          tenantId,
          aggregateId: departmentId,
          aggregateVersion: version,
          payload: { departmentId, changes: { name: { from: 'Support', to } } },
        });
      await deliver(rename(3, 'Help desk'));
      await deliver(rename(2, 'Stale'));
      expect(await departmentRow(departmentId)).toMatchObject({ name: 'Help desk', version: 3 });
      // A description-only change moves the version on, nothing else.
      await deliver(
        raise(DepartmentUpdated, {
          tenantId,
          aggregateId: departmentId,
          aggregateVersion: 4,
          payload: { departmentId, changes: { description: { from: null, to: 'Tier 1' } } },
        }),
      );
      expect(await departmentRow(departmentId)).toMatchObject({ name: 'Help desk', version: 4 });

      const member = userCreated(tenantId, { departmentId });
      await deliver(member);
      const deleted = raise(DepartmentDeleted, {
        tenantId,
        aggregateId: departmentId,
        aggregateVersion: 5,
        payload: { departmentId },
      });
      await deliver(deleted);
      await deliver(deleted);
      await deliver(rename(4, 'Zombie'));
      expect(await departmentRow(departmentId)).toMatchObject({
        name: 'Help desk',
        version: 5,
        deleted_at: new Date(deleted.timestamp),
      });
      expect(await directory.hasDepartment(tenantId, departmentId)).toBe(false);
      // The users of it lose the reference, as in user-service.
      expect((await directory.user(tenantId, member.aggregateId))?.departmentId).toBeNull();
      // A user event older than the deletion cannot put anyone back in it.
      await deliver(
        userUpdated(tenantId, member.aggregateId, 2, {
          departmentId: { from: null, to: departmentId },
        }),
      );
      expect((await directory.user(tenantId, member.aggregateId))?.departmentId).toBeNull();
    });

    it('refuses department events of another organization', async () => {
      const tenantId = await newTenant();
      const intruder = await newTenant();
      const created = departmentCreated(tenantId);
      const departmentId = created.aggregateId;
      await deliver(created);
      // The same id again, claimed by another tenant.
      await expect(
        deliver(departmentCreated(intruder, departmentId, 'Mine')),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      await expect(
        deliver(
          raise(DepartmentUpdated, {
            tenantId: intruder,
            aggregateId: departmentId,
            aggregateVersion: 2,
            payload: { departmentId, changes: { name: { from: 'Support', to: 'Mine' } } },
          }),
        ),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      await expect(
        deliver(
          raise(DepartmentDeleted, {
            tenantId: intruder,
            aggregateId: departmentId,
            aggregateVersion: 2,
            payload: { departmentId },
          }),
        ),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      // An envelope about one department carrying another's id in the payload.
      await expect(
        deliver(
          raise(DepartmentDeleted, {
            tenantId: intruder,
            aggregateId: randomUUID(),
            aggregateVersion: 2,
            payload: { departmentId },
          }),
        ),
      ).rejects.toBeInstanceOf(CrossTenantEventError);
      expect(await departmentRow(departmentId)).toMatchObject({
        tenant_id: tenantId,
        name: 'Support',
        deleted_at: null,
        version: 1,
      });
    });
  });

  describe('users', () => {
    it('creates a user, and a duplicate creation changes nothing', async () => {
      const tenantId = await newTenant();
      const created = userCreated(tenantId, { role: 'requester', source: 'registration' });
      await deliver(created);
      await deliver(created);
      expect(await directory.user(tenantId, created.aggregateId)).toEqual({
        id: created.aggregateId,
        tenantId,
        email: created.payload.email,
        name: 'Grace Agent',
        role: 'requester',
        departmentId: null,
        active: true,
        deleted: false,
      });
      expect(await directory.user(randomUUID(), created.aggregateId)).toBeUndefined();
    });

    it('applies profile changes and role changes in version order, skipping late ones', async () => {
      const tenantId = await newTenant();
      const department = departmentCreated(tenantId);
      await deliver(department);
      const created = userCreated(tenantId);
      const userId = created.aggregateId;
      await deliver(created);

      // Version 2 (a password change) never reaches us: the gap is fine.
      const v3 = userUpdated(tenantId, userId, 3, {
        email: { from: created.payload.email, to: 'grace@acme.test' },
        name: { from: 'Grace Agent', to: 'Grace Hopper' },
        departmentId: { from: null, to: department.aggregateId },
      });
      const v4 = raise(UserRoleChanged, {
        tenantId,
        aggregateId: userId,
        aggregateVersion: 4,
        payload: { userId, previousRole: 'agent', role: 'manager' },
      });
      const v5 = userUpdated(tenantId, userId, 5, { active: { from: true, to: false } });
      // Out of order: 4 first, then 3 is late and skipped; 5 applies.
      await deliver(v4);
      await deliver(v3);
      await deliver(v5);
      await deliver(v4);
      expect(await directory.user(tenantId, userId)).toMatchObject({
        email: created.payload.email,
        name: 'Grace Agent',
        role: 'manager',
        departmentId: null,
        active: false,
      });
      expect((await userRow(userId)).version).toBe(5);

      const v6 = userUpdated(tenantId, userId, 6, {
        name: { from: 'Grace Agent', to: 'Grace Hopper' },
        departmentId: { from: null, to: department.aggregateId },
        active: { from: false, to: true },
      });
      await deliver(v6);
      await deliver(v6);
      await deliver(
        raise(UserRoleChanged, {
          tenantId,
          aggregateId: userId,
          aggregateVersion: 6,
          payload: { userId, previousRole: 'manager', role: 'admin' },
        }),
      );
      expect(await directory.user(tenantId, userId)).toMatchObject({
        name: 'Grace Hopper',
        role: 'manager',
        departmentId: department.aggregateId,
        active: true,
        deleted: false,
      });
    });

    it('retries user changes that arrive before the creation', async () => {
      const tenantId = await newTenant();
      const userId = randomUUID();
      await expect(
        deliver(userUpdated(tenantId, userId, 2, { name: { from: 'a', to: 'b' } })),
      ).rejects.toBeInstanceOf(ReplicaRowMissingError);
      await expect(deliver(userDeleted(tenantId, userId, 3))).rejects.toBeInstanceOf(
        ReplicaRowMissingError,
      );
      expect(await userRow(userId)).toBeUndefined();
    });

    it('refuses user events that would reach into another organization', async () => {
      const tenantId = await newTenant();
      const intruder = await newTenant();
      const created = userCreated(tenantId);
      const userId = created.aggregateId;
      await deliver(created);
      const foreignDepartment = departmentCreated(intruder);
      await deliver(foreignDepartment);

      const refused = [
        userCreated(intruder, { userId, role: 'admin' }),
        userUpdated(intruder, userId, 2, { name: { from: 'Grace Agent', to: 'Mallory' } }),
        raise(UserRoleChanged, {
          tenantId: intruder,
          aggregateId: userId,
          aggregateVersion: 2,
          payload: { userId, previousRole: 'agent', role: 'admin' },
        }),
        userDeleted(intruder, userId, 2),
        // Envelope about one user, payload about another.
        raise(UserDeleted, {
          tenantId,
          aggregateId: randomUUID(),
          aggregateVersion: 2,
          payload: { userId },
        }),
        // Putting our user into the other organization's department.
        userUpdated(tenantId, userId, 2, {
          departmentId: { from: null, to: foreignDepartment.aggregateId },
        }),
        userCreated(tenantId, { departmentId: foreignDepartment.aggregateId }),
      ];
      for (const event of refused)
        await expect(deliver(event)).rejects.toBeInstanceOf(CrossTenantEventError);
      expect(await userRow(userId)).toMatchObject({
        tenant_id: tenantId,
        name: 'Grace Agent',
        role: 'agent',
        department_id: null,
        deleted_at: null,
        version: 1,
      });
    });

    it('keeps tickets assigned when the assignee becomes a requester (documented choice)', async () => {
      const tenantId = await newTenant();
      const agent = userCreated(tenantId);
      await deliver(agent);
      const ticket = await openTicket(tenantId, randomUUID(), agent.aggregateId);
      await deliver(
        raise(UserRoleChanged, {
          tenantId,
          aggregateId: agent.aggregateId,
          aggregateVersion: 2,
          payload: { userId: agent.aggregateId, previousRole: 'agent', role: 'requester' },
        }),
      );
      expect((await directory.user(tenantId, agent.aggregateId))?.role).toBe('requester');
      const stored = await dataSource
        .getRepository(TicketSchema)
        .findOneByOrFail({ id: ticket.id });
      expect(stored).toMatchObject({ assigneeId: agent.aggregateId, version: 1 });
    });
  });

  describe('user.deleted', () => {
    it('tombstones the user and unassigns every ticket of theirs, one ticket.assigned each', async () => {
      const tenantId = await newTenant();
      const otherTenant = await newTenant();
      const agent = userCreated(tenantId, { name: 'Leaving Agent' });
      const colleague = userCreated(tenantId);
      for (const event of [agent, colleague]) await deliver(event);
      const agentId = agent.aggregateId;
      const requesterId = randomUUID();

      const assigned = [
        await openTicket(tenantId, requesterId, agentId, 'urgent'),
        await openTicket(tenantId, requesterId, agentId, 'low'),
        await openTicket(tenantId, randomUUID(), agentId, 'high'),
      ];
      // Resolved work is theirs too: unassigned as well.
      const resolved = await openTicket(tenantId, requesterId, agentId);
      await dataSource
        .getRepository(TicketSchema)
        .update({ id: resolved.id }, { status: 'resolved' });
      assigned.push(resolved);
      const requestedByThem = await openTicket(tenantId, agentId, colleague.aggregateId);
      const requestedUnassigned = await openTicket(tenantId, agentId, null);
      const colleagues = await openTicket(tenantId, requesterId, colleague.aggregateId);
      // The same id in another organization's tickets (cannot happen, but the sweep is tenant-bound).
      const foreign = await openTicket(otherTenant, requesterId, agentId);

      const before = (await outbox('ticket.assigned')).length;
      const deleted = userDeleted(tenantId, agentId, 2);
      await deliver(deleted);

      expect(await directory.user(tenantId, agentId)).toMatchObject({
        name: 'Leaving Agent',
        deleted: true,
      });
      expect((await userRow(agentId)).deleted_at).toEqual(new Date(deleted.timestamp));

      const tickets = dataSource.getRepository(TicketSchema);
      for (const ticket of assigned)
        expect(await tickets.findOneByOrFail({ id: ticket.id })).toMatchObject({
          assigneeId: null,
          version: 2,
        });
      for (const [ticket, assigneeId] of [
        [requestedByThem, colleague.aggregateId],
        [requestedUnassigned, null],
        [colleagues, colleague.aggregateId],
        [foreign, agentId],
      ] as const)
        expect(await tickets.findOneByOrFail({ id: ticket.id })).toMatchObject({
          assigneeId,
          version: 1,
        });

      const events = (await outbox('ticket.assigned')).slice(before);
      expect(events).toHaveLength(assigned.length);
      expect(events.map((row) => row.aggregate_id).sort()).toEqual(
        assigned.map((ticket) => ticket.id).sort(),
      );
      for (const row of events) {
        const ticket = assigned.find((candidate) => candidate.id === row.aggregate_id) as Ticket;
        expect(row.tenant_id).toBe(tenantId);
        expect(row.aggregate_version).toBe(2);
        expect(row.envelope.payload).toEqual({
          ticketId: ticket.id,
          number: ticket.number,
          title: ticket.title,
          previousAssigneeId: agentId,
          assigneeId: null,
          requesterId: ticket.requesterId,
          priority: ticket.priority,
        });
        expect(row.envelope.metadata).toMatchObject({
          causationId: deleted.eventId,
          actorId: deleted.metadata.actorId,
          actorType: 'user',
        });
      }

      // Delivered again (a replay after the inbox forgot it): nothing more happens.
      await deliver(deleted);
      await deliver(
        userUpdated(tenantId, agentId, 2, { name: { from: 'x', to: 'Back from the dead' } }),
      );
      expect((await outbox('ticket.assigned')).length).toBe(before + assigned.length);
      expect(await directory.user(tenantId, agentId)).toMatchObject({
        name: 'Leaving Agent',
        deleted: true,
      });
    });

    it('unassigns more tickets than one batch', async () => {
      const tenantId = await newTenant();
      const agent = userCreated(tenantId);
      await deliver(agent);
      const count = 230;
      for (let index = 0; index < count; index++)
        await openTicket(tenantId, randomUUID(), agent.aggregateId);
      const before = (await outbox('ticket.assigned')).length;
      await deliver(userDeleted(tenantId, agent.aggregateId, 2));
      expect(
        await dataSource
          .getRepository(TicketSchema)
          .countBy({ tenantId, assigneeId: agent.aggregateId }),
      ).toBe(0);
      expect((await outbox('ticket.assigned')).length - before).toBe(count);
    });

    it('leaves nothing behind when the transaction rolls back', async () => {
      const tenantId = await newTenant();
      const agent = userCreated(tenantId);
      await deliver(agent);
      const ticket = await openTicket(tenantId, randomUUID(), agent.aggregateId);
      const before = (await outbox('ticket.assigned')).length;
      await expect(
        withTransaction(dataSource, async () => {
          for (const handler of handlersOf(userDeleted(tenantId, agent.aggregateId, 2)))
            await handler.handle(userDeleted(tenantId, agent.aggregateId, 2));
          throw new Error('a later handler failed');
        }),
      ).rejects.toThrow('a later handler failed');
      expect((await directory.user(tenantId, agent.aggregateId))?.deleted).toBe(false);
      expect(
        (await dataSource.getRepository(TicketSchema).findOneByOrFail({ id: ticket.id }))
          .assigneeId,
      ).toBe(agent.aggregateId);
      expect((await outbox('ticket.assigned')).length).toBe(before);
    });

    it('works called outside a transaction too (it opens its own)', async () => {
      const tenantId = await newTenant();
      const agent = userCreated(tenantId);
      for (const handler of handlersOf(agent)) await handler.handle(agent);
      const ticket = await openTicket(tenantId, randomUUID(), agent.aggregateId);
      const deleted = userDeleted(tenantId, agent.aggregateId, 2);
      for (const handler of handlersOf(deleted)) await handler.handle(deleted);
      expect(
        (await dataSource.getRepository(TicketSchema).findOneByOrFail({ id: ticket.id }))
          .assigneeId,
      ).toBeNull();
    });
  });

  it('the shared replica registers one handler per event type', () => {
    const handled = userDirectoryHandlers.map(
      (type) => (handlerTypeOf(app.get<object>(type)) as { eventType: string }).eventType,
    );
    expect(handled.sort()).toEqual(
      [
        'department.created',
        'department.deleted',
        'department.updated',
        'organization.created',
        'organization.updated',
        'user.created',
        'user.deleted',
        'user.role_changed',
        'user.updated',
      ].sort(),
    );
  });
});
