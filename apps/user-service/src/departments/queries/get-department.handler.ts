import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { DepartmentSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { departmentNotFound } from '../department-problems';
import { toDepartmentView, type DepartmentView } from '../department.view';

export class GetDepartmentQuery {
  constructor(
    readonly actor: Actor,
    readonly departmentId: string,
  ) {}
}

@QueryHandler(GetDepartmentQuery)
export class GetDepartmentHandler implements IQueryHandler<GetDepartmentQuery, DepartmentView> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor, departmentId }: GetDepartmentQuery): Promise<DepartmentView> {
    const department = await this.scopes
      .repository(DepartmentSchema, actor.organizationId)
      .findOne({ id: departmentId });
    if (!department) throw departmentNotFound();
    return toDepartmentView(department);
  }
}
