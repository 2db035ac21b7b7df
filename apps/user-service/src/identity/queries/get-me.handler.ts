import { NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { UserSchema } from '../../persistence/schemas';
import type { MeView } from '../auth.dto';

export class GetMeQuery {
  constructor(readonly actor: Actor) {}
}

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery, MeView> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor }: GetMeQuery): Promise<MeView> {
    const user = await this.scopes
      .repository(UserSchema, actor.organizationId)
      .findOne({ id: actor.userId });
    if (!user) throw new NotFoundException('User not found.');
    return {
      id: user.id,
      organizationId: user.tenantId,
      email: user.email,
      name: user.name,
      role: user.role,
      departmentId: user.departmentId,
      createdAt: user.createdAt.toISOString(),
    };
  }
}
