import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { mayView } from '../user-access';
import { userNotFound } from '../user-problems';
import { toUserView, type UserView } from '../user.view';

export class GetUserQuery {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {}
}

/** Agents and up see anyone of their organization; requesters only themselves. */
@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserView> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor, userId }: GetUserQuery): Promise<UserView> {
    if (!mayView(actor, userId)) throw userNotFound();
    const user = await this.scopes
      .repository(UserSchema, actor.organizationId)
      .findOne({ id: userId });
    if (!user) throw userNotFound();
    return toUserView(user);
  }
}
