import { DataSource, Not } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import type { User } from '../domain/user';
import { OrganizationSchema, UserSchema } from '../persistence/schemas';
import type { TenantScopes } from '../tenancy/tenant-scope';

/**
 * "The organization keeps an admin" must still hold at commit. Changes that
 * may remove an admin (a role change, a deletion) first lock the organization
 * row, so two admins demoting or deleting each other at the same moment are
 * decided one after the other and the second sees the first's change. FOR NO
 * KEY UPDATE does not block inserts that merely reference the row. Call it
 * inside the transaction, before reading the user concerned.
 */
export async function lockAdminDecisions(dataSource: DataSource, tenantId: string): Promise<void> {
  await currentManager(dataSource)
    .getRepository(OrganizationSchema)
    .findOne({ where: { id: tenantId }, lock: { mode: 'for_no_key_update' } });
}

/** The organization's admins other than `user` (after lockAdminDecisions). */
export function countOtherAdmins(scopes: TenantScopes, user: User): Promise<number> {
  return scopes.repository(UserSchema, user.tenantId).count({ role: 'admin', id: Not(user.id) });
}
