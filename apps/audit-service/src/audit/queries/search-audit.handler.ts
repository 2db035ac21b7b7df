import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import { AuditLog } from '../audit-log';
import type { AuditEntryView } from '../audit-entry.view';
import { auditFilter, type AuditSearchQuery } from '../audit.dto';

export class SearchAuditQuery {
  constructor(
    readonly actor: Actor,
    readonly query: AuditSearchQuery,
  ) {}
}

/** `GET /audit/search`: the organization's entries matching every given filter, newest first. */
@QueryHandler(SearchAuditQuery)
export class SearchAuditHandler implements IQueryHandler<
  SearchAuditQuery,
  Paginated<AuditEntryView>
> {
  constructor(private readonly log: AuditLog) {}

  async execute({ actor, query }: SearchAuditQuery): Promise<Paginated<AuditEntryView>> {
    const { items, total } = await this.log
      .forTenant(actor.organizationId)
      .page(auditFilter(query), 'newest', pageOffset(query), query.limit);
    return paginate(items, total, query);
  }
}
