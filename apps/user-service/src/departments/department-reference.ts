import { ProblemException } from '@helpdesk/http';
import { DepartmentSchema } from '../persistence/schemas';
import type { TenantScopes } from '../tenancy/tenant-scope';

/**
 * A department id given in a request body: it must name a department of the
 * caller's organization, else 400 naming the field (an id of another
 * organization is exactly as unknown as one that does not exist). `null`
 * (no department) and `undefined` (not given) pass through.
 */
export async function resolveDepartmentId<T extends string | null | undefined>(
  scopes: TenantScopes,
  tenantId: string,
  departmentId: T,
  field = 'departmentId',
): Promise<T> {
  if (departmentId === null || departmentId === undefined) return departmentId;
  const found = await scopes.repository(DepartmentSchema, tenantId).count({ id: departmentId });
  if (found === 0) throw unknownDepartment(field);
  return departmentId;
}

export function unknownDepartment(field = 'departmentId'): ProblemException {
  return ProblemException.invalidField(field, 'is not a department of this organization');
}
