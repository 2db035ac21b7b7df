import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { pageOffset, paginate, parseSort, type Paginated } from '@helpdesk/http';
import { DepartmentSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { toDepartmentView, type DepartmentView } from '../department.view';
import {
  DEFAULT_DEPARTMENT_SORT,
  DEPARTMENT_SORT_FIELDS,
  type ListDepartmentsParams,
} from '../departments.dto';

export class ListDepartmentsQuery {
  constructor(
    readonly actor: Actor,
    readonly params: ListDepartmentsParams,
  ) {}
}

/** The organization's departments, by name unless `sort` says otherwise. */
@QueryHandler(ListDepartmentsQuery)
export class ListDepartmentsHandler implements IQueryHandler<
  ListDepartmentsQuery,
  Paginated<DepartmentView>
> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor, params }: ListDepartmentsQuery): Promise<Paginated<DepartmentView>> {
    const order = parseSort(params.sort, DEPARTMENT_SORT_FIELDS, DEFAULT_DEPARTMENT_SORT);
    const [items, total] = await this.scopes
      .repository(DepartmentSchema, actor.organizationId)
      .pageAndCount('department', (query) =>
        query
          .orderBy(
            order.field === 'name' ? 'lower(department.name)' : 'department.createdAt',
            order.direction,
          )
          .addOrderBy('department.id', 'ASC')
          .offset(pageOffset(params))
          .limit(params.limit),
      );
    return paginate(items.map(toDepartmentView), total, params);
  }
}
