import { NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { AuditLog } from '../audit-log';
import type { AuditEntryView } from '../audit-entry.view';

export class GetAuditEntryQuery {
  constructor(
    readonly actor: Actor,
    readonly id: string,
  ) {}
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One entry of the caller's organization; any other id (another organization's, not a uuid) is 404. */
@QueryHandler(GetAuditEntryQuery)
export class GetAuditEntryHandler implements IQueryHandler<GetAuditEntryQuery, AuditEntryView> {
  constructor(private readonly log: AuditLog) {}

  async execute({ actor, id }: GetAuditEntryQuery): Promise<AuditEntryView> {
    const entry = UUID.test(id)
      ? await this.log.forTenant(actor.organizationId).find(id)
      : undefined;
    if (!entry) throw new NotFoundException('Audit entry not found');
    return entry;
  }
}
