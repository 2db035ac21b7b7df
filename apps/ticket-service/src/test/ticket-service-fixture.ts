import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@helpdesk/contracts';
import { migrateServiceDatabase } from '@helpdesk/database';
import {
  bootTestApp,
  createTestDatabase,
  createTestVhost,
  type TestApp,
  type TestDatabase,
  type TestVhost,
  FakeIdentityProvider,
} from '@helpdesk/testing';
import { AppModule, databaseServiceOptions, httpAppOptions } from '../app.module';

export interface Member {
  id: string;
  organizationId: string;
  role: Role;
  token: string;
  /** `{ Authorization: 'Bearer …' }` */
  auth: { Authorization: string };
}

export interface Organization {
  id: string;
  admin: Member;
  member(role: Role, options?: { departmentId?: string | null }): Promise<Member>;
  department(name?: string): Promise<string>;
}

export interface TicketServiceFixture extends TestApp {
  database: TestDatabase;
  vhost: TestVhost;
  dataSource: DataSource;
  identity: FakeIdentityProvider;
  /** A new organization in the directory replica, with an admin. */
  organization(settings?: {
    businessHours?: object | null;
    timezone?: string;
  }): Promise<Organization>;
  outbox(eventType?: string): Promise<{ eventType: string; envelope: StoredEnvelope }[]>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StoredEnvelope = any;

/** ticket-service as production wires it, on its own database and vhost, trusting a test identity provider. */
export async function startTicketService(
  env: Record<string, string> = {},
): Promise<TicketServiceFixture> {
  const identity = await FakeIdentityProvider.start();
  const database = await createTestDatabase({ prefix: 'ticket' });
  const vhost = await createTestVhost({ prefix: 'ticket' });
  const appEnv = {
    TICKET_SERVICE_DATABASE_URL: database.url,
    RABBITMQ_URL: vhost.url,
    AUTH_JWKS_URL: identity.url,
    AUTH_REVOCATION_POLL_MS: '200',
    ...env,
  };
  await migrateServiceDatabase({ ...databaseServiceOptions, env: appEnv });
  const service = await bootTestApp(AppModule, { ...httpAppOptions, env: appEnv });
  const dataSource = service.app.get(DataSource);

  const addUser = async (
    organizationId: string,
    role: Role,
    departmentId: string | null = null,
  ): Promise<Member> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, version)
       VALUES ($1, $2, $3, $4, $5, $6, true, 1)`,
      [
        id,
        organizationId,
        `${role}-${id.slice(0, 6)}@example.test`,
        `${role} ${id.slice(0, 4)}`,
        role,
        departmentId,
      ],
    );
    const token = identity.token({ id, organizationId, role });
    return { id, organizationId, role, token, auth: { Authorization: `Bearer ${token}` } };
  };

  const organization: TicketServiceFixture['organization'] = async (settings = {}) => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO directory_organization (id, name, business_hours, timezone, version) VALUES ($1, $2, $3, $4, 1)`,
      [
        id,
        `Org ${id.slice(0, 6)}`,
        settings.businessHours ? JSON.stringify(settings.businessHours) : null,
        settings.timezone ?? 'UTC',
      ],
    );
    return {
      id,
      admin: await addUser(id, 'admin'),
      member: (role, options = {}) => addUser(id, role, options.departmentId ?? null),
      department: async (name = `Dept ${randomUUID().slice(0, 4)}`) => {
        const departmentId = randomUUID();
        await dataSource.query(
          'INSERT INTO directory_department (id, tenant_id, name, version) VALUES ($1, $2, $3, 1)',
          [departmentId, id, name],
        );
        return departmentId;
      },
    };
  };

  const outbox: TicketServiceFixture['outbox'] = async (eventType) => {
    const rows: { event_type: string; envelope: StoredEnvelope }[] = await dataSource.query(
      `SELECT event_type, envelope FROM outbox ${eventType ? 'WHERE event_type = $1' : ''} ORDER BY seq`,
      eventType ? [eventType] : [],
    );
    return rows.map((row) => ({ eventType: row.event_type, envelope: row.envelope }));
  };

  return {
    ...service,
    database,
    vhost,
    dataSource,
    identity,
    organization,
    outbox,
    close: async () => {
      await service.close();
      await identity.close();
      await database.drop();
      await vhost.drop();
    },
  };
}
