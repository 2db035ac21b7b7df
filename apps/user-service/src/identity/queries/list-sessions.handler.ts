import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IsNull, MoreThan } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { pageOffset, paginate, type PageRequest, type Paginated } from '@helpdesk/http';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { SessionSchema } from '../../persistence/schemas';
import type { SessionView } from '../auth.dto';

export class ListSessionsQuery {
  constructor(
    readonly actor: Actor,
    readonly page: PageRequest,
  ) {}
}

/** The caller's live sessions (not revoked, not expired), newest first. */
@QueryHandler(ListSessionsQuery)
export class ListSessionsHandler implements IQueryHandler<
  ListSessionsQuery,
  Paginated<SessionView>
> {
  constructor(private readonly scopes: TenantScopes) {}

  async execute({ actor, page }: ListSessionsQuery): Promise<Paginated<SessionView>> {
    const where = { userId: actor.userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) };
    const sessions = this.scopes.repository(SessionSchema, actor.organizationId);
    const [items, total] = await Promise.all([
      sessions.find({
        where,
        order: { createdAt: 'DESC', id: 'ASC' },
        skip: pageOffset(page),
        take: page.limit,
      }),
      sessions.count(where),
    ]);
    return paginate(
      items.map((session) => ({
        id: session.id,
        createdAt: session.createdAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
        userAgent: session.userAgent,
        ip: session.ip,
        current: session.id === actor.sessionId,
      })),
      total,
      page,
    );
  }
}
