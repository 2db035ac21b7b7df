import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import type { Role } from '@helpdesk/contracts';
import { pageOffset, paginate, parseSort, type Paginated } from '@helpdesk/http';
import { UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { toUserView, type UserView } from '../user.view';
import { DEFAULT_USER_SORT, USER_SORT_FIELDS, type ListUsersParams } from '../users.dto';

export class ListUsersQuery {
  constructor(
    readonly actor: Actor,
    readonly params: ListUsersParams,
    /** Only users with one of these roles (the admin "agents" view); the `role` filter narrows further. */
    readonly roles?: readonly Role[],
  ) {}
}

/** `%`, `_` and `\` typed by the user match themselves, not "anything". */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** The organization's users, filtered, newest first unless `sort` says otherwise. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, Paginated<UserView>> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor, params, roles }: ListUsersQuery): Promise<Paginated<UserView>> {
    const order = parseSort(params.sort, USER_SORT_FIELDS, DEFAULT_USER_SORT);
    const [items, total] = await this.scopes
      .repository(UserSchema, actor.organizationId)
      .pageAndCount('u', (query) => {
        if (roles) query.andWhere('u.role IN (:...roles)', { roles });
        if (params.role) query.andWhere('u.role = :role', { role: params.role });
        if (params.departmentId)
          query.andWhere('u.departmentId = :departmentId', { departmentId: params.departmentId });
        if (params.q)
          query.andWhere(
            "(u.name ILIKE :pattern ESCAPE '\\' OR u.email ILIKE :pattern ESCAPE '\\')",
            { pattern: likePattern(params.q) },
          );
        return query
          .orderBy(order.field === 'name' ? 'lower(u.name)' : `u.${order.field}`, order.direction)
          .addOrderBy('u.id', 'ASC')
          .offset(pageOffset(params))
          .limit(params.limit);
      });
    return paginate(items.map(toUserView), total, params);
  }
}
