import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { AuditRetention } from '../audit-retention';
import type { RetentionView } from '../retention.dto';

export class GetRetentionQuery {
  constructor(readonly actor: Actor) {}
}

/** The caller's organization's retention; `keepDays: null` (forever) until an admin sets one. */
@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler implements IQueryHandler<GetRetentionQuery, RetentionView> {
  constructor(private readonly retention: AuditRetention) {}

  execute({ actor }: GetRetentionQuery): Promise<RetentionView> {
    return this.retention.forTenant(actor.organizationId);
  }
}
