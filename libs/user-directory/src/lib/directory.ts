import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@helpdesk/contracts';
import { currentManager } from '@helpdesk/database';

export interface DirectoryOrganization {
  id: string;
  name: string;
  businessHours: { weekdays: number[]; start: string; end: string } | null;
  timezone: string;
}

export interface DirectoryUser {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
  active: boolean;
  deleted: boolean;
}

/**
 * Reads the local replica of user-service's directory (fed by its events,
 * see handlers/). Every lookup names the tenant: an id of another
 * organization is simply not found.
 */
@Injectable()
export class Directory {
  constructor(private readonly dataSource: DataSource) {}

  async organization(tenantId: string): Promise<DirectoryOrganization | undefined> {
    const [row] = await currentManager(this.dataSource).query(
      'SELECT id, name, business_hours, timezone FROM directory_organization WHERE id = $1',
      [tenantId],
    );
    return (
      row && {
        id: row.id,
        name: row.name,
        businessHours: row.business_hours,
        timezone: row.timezone,
      }
    );
  }

  /**
   * `forShare` (inside a transaction) holds the row until commit, so a
   * concurrent `user.deleted` cannot slip between this check and the write
   * that relies on it (its handler locks the row for update first).
   */
  async user(
    tenantId: string,
    userId: string,
    options: { forShare?: boolean } = {},
  ): Promise<DirectoryUser | undefined> {
    const [row] = await currentManager(this.dataSource).query(
      `SELECT id, tenant_id, email, name, role, department_id, active, deleted_at
         FROM directory_user WHERE id = $1 AND tenant_id = $2${options.forShare ? ' FOR SHARE' : ''}`,
      [userId, tenantId],
    );
    return row && toDirectoryUser(row);
  }

  /**
   * The organization's live members with one of `roles` (active, not
   * deleted) — e.g. the agents to tell of a new ticket. `departmentId`
   * narrows to one department; null means "in no department"; undefined, any.
   */
  async members(
    tenantId: string,
    filter: { roles: readonly Role[]; departmentId?: string | null },
  ): Promise<DirectoryUser[]> {
    const parameters: unknown[] = [tenantId, filter.roles];
    let department = '';
    if (filter.departmentId === null) department = ' AND department_id IS NULL';
    else if (filter.departmentId !== undefined) {
      parameters.push(filter.departmentId);
      department = ' AND department_id = $3';
    }
    const rows = await currentManager(this.dataSource).query(
      `SELECT id, tenant_id, email, name, role, department_id, active, deleted_at
         FROM directory_user
        WHERE tenant_id = $1 AND role = ANY($2::text[]) AND active AND deleted_at IS NULL${department}
        ORDER BY name, id`,
      parameters,
    );
    return rows.map(toDirectoryUser);
  }

  /** A live department of the organization? */
  async hasDepartment(tenantId: string, departmentId: string): Promise<boolean> {
    const rows = await currentManager(this.dataSource).query(
      'SELECT 1 FROM directory_department WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL',
      [departmentId, tenantId],
    );
    return rows.length > 0;
  }
}

interface DirectoryUserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  department_id: string | null;
  active: boolean;
  deleted_at: Date | null;
}

function toDirectoryUser(row: DirectoryUserRow): DirectoryUser {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    name: row.name,
    role: row.role,
    departmentId: row.department_id,
    active: row.active,
    deleted: row.deleted_at !== null,
  };
}
