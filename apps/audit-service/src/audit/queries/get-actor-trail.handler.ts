import { NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { pageOffset, paginate, type PageQuery, type Paginated } from '@helpdesk/http';
import { AuditLog } from '../audit-log';
import type { AuditEntryView } from '../audit-entry.view';
import { MAX_ID_LENGTH } from '../audit.dto';

export class GetActorTrailQuery {
  constructor(
    readonly actor: Actor,
    readonly actorId: string,
    readonly page: PageQuery,
  ) {}
}

/**
 * `GET /audit/actor/:id`: what one actor (a user id or a service name) did,
 * newest first. An actor with no entry in the caller's organization is 404.
 */
@QueryHandler(GetActorTrailQuery)
export class GetActorTrailHandler implements IQueryHandler<
  GetActorTrailQuery,
  Paginated<AuditEntryView>
> {
  constructor(private readonly log: AuditLog) {}

  async execute({ actor, actorId, page }: GetActorTrailQuery): Promise<Paginated<AuditEntryView>> {
    if (actorId.length > MAX_ID_LENGTH) throw notFound();
    const { items, total } = await this.log
      .forTenant(actor.organizationId)
      .page({ actorId }, 'newest', pageOffset(page), page.limit);
    if (total === 0) throw notFound();
    return paginate(items, total, page);
  }
}

const notFound = () => new NotFoundException('No audit entries for this actor');
