import { randomUUID } from 'node:crypto';
import type { Role } from '@helpdesk/contracts';
import { databaseUrlEnvVar, migrateServiceDatabase } from '@helpdesk/database';
import { startService, type FakeIdentityProvider, type StartedService } from '@helpdesk/testing';
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

export interface TicketServiceFixture extends StartedService {
  identity: FakeIdentityProvider;
  /** A new organization in the directory replica, with an admin. */
  organization(settings?: {
    businessHours?: object | null;
    timezone?: string;
  }): Promise<Organization>;
}

/** ticket-service as production wires it, on its own database and vhost, trusting a test identity provider. */
export async function startTicketService(
  env: Record<string, string> = {},
): Promise<TicketServiceFixture> {
  const service = await startService({
    rootModule: AppModule,
    http: httpAppOptions,
    databaseUrlVariable: databaseUrlEnvVar(databaseServiceOptions.serviceName),
    migrate: (appEnv) => migrateServiceDatabase({ ...databaseServiceOptions, env: appEnv }),
    prefix: 'ticket',
    identity: true,
    env,
  });
  const { dataSource } = service;
  const identity = service.identity as FakeIdentityProvider;

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

  return { ...service, identity, organization };
}
