import { NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { pageOffset, paginate, type PageQuery, type Paginated } from '@helpdesk/http';
import { AuditLog } from '../audit-log';
import type { AuditEntryView } from '../audit-entry.view';
import { MAX_ID_LENGTH } from '../audit.dto';

export class GetEntityTrailQuery {
  constructor(
    readonly actor: Actor,
    readonly entityType: string,
    readonly entityId: string,
    readonly page: PageQuery,
  ) {}
}

/**
 * `GET /audit/entity/:type/:id`: everything that happened to one entity,
 * oldest first. An entity the caller's organization has no entry for is 404,
 * whether or not another organization has one.
 */
@QueryHandler(GetEntityTrailQuery)
export class GetEntityTrailHandler implements IQueryHandler<
  GetEntityTrailQuery,
  Paginated<AuditEntryView>
> {
  constructor(private readonly log: AuditLog) {}

  async execute({
    actor,
    entityType,
    entityId,
    page,
  }: GetEntityTrailQuery): Promise<Paginated<AuditEntryView>> {
    if (entityType.length > MAX_ID_LENGTH || entityId.length > MAX_ID_LENGTH) throw notFound();
    const { items, total } = await this.log
      .forTenant(actor.organizationId)
      .page({ entityType, entityId }, 'oldest', pageOffset(page), page.limit);
    if (total === 0) throw notFound();
    return paginate(items, total, page);
  }
}

const notFound = () => new NotFoundException('No audit entries for this entity');
