import { ProblemException } from '@helpdesk/http';
import type { Directory } from '@helpdesk/user-directory';

/** A ticket's department must be one of its organization's (the directory replica says which); 400 otherwise. */
export async function assertKnownDepartment(
  directory: Directory,
  tenantId: string,
  departmentId: string | null | undefined,
): Promise<void> {
  if (departmentId && !(await directory.hasDepartment(tenantId, departmentId)))
    throw ProblemException.invalidField('departmentId', 'is not a department of this organization');
}
