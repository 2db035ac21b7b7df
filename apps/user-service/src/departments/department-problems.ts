import { NotFoundException } from '@nestjs/common';
import { PostgresErrorCode, postgresErrorCode } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';

export function departmentNotFound(): NotFoundException {
  return new NotFoundException('Department not found.');
}

/** uq_department_tenant_id_name (tenant, lower(name)) said no: the name is taken, ignoring case. */
export function rethrowDuplicateName(error: unknown, name: string | undefined): never {
  if (postgresErrorCode(error) === PostgresErrorCode.uniqueViolation)
    throw new ProblemException(
      409,
      `A department named "${name}" already exists in this organization.`,
      {
        errors: [{ field: 'name', message: 'is already used by another department' }],
      },
    );
  throw error;
}
