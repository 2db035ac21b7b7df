import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { currentContext } from '@helpdesk/observability';
import { AuditLog } from '../audit-log';
import type { AuditEntryView } from '../audit-entry.view';
import { instant } from '../audit.dto';
import type { LogAuditEntryBody } from '../log-entry.dto';

export class LogAuditEntryCommand {
  constructor(
    /** The calling service (from its service token). */
    readonly caller: string,
    readonly body: LogAuditEntryBody,
  ) {}
}

/**
 * `POST /internal/audit/log`: a service records something no integration
 * event says. No event stands behind it, so its `eventId` is a fresh uuid
 * (unique like every other) and `eventType` is `<entityType>.<action>`;
 * `correlationId` defaults to the request's X-Request-ID, `occurredAt` to now.
 */
@CommandHandler(LogAuditEntryCommand)
export class LogAuditEntryHandler implements ICommandHandler<LogAuditEntryCommand, AuditEntryView> {
  constructor(private readonly log: AuditLog) {}

  async execute({ body }: LogAuditEntryCommand): Promise<AuditEntryView> {
    const id = randomUUID();
    await this.log.append({
      id,
      tenantId: body.organizationId,
      eventId: randomUUID(),
      eventType: `${body.entityType}.${body.action}`,
      entityType: body.entityType,
      entityId: body.entityId,
      aggregateVersion: null,
      actorId: body.actorId ?? null,
      actorType: body.actorType,
      action: body.action,
      changes: body.changes ?? null,
      payload: null,
      ip: body.ip ?? null,
      userAgent: body.userAgent ?? null,
      correlationId: body.correlationId ?? currentContext()?.correlationId ?? null,
      occurredAt:
        body.occurredAt === undefined ? new Date().toISOString() : instant(body.occurredAt),
    });
    const entry = await this.log.forTenant(body.organizationId).find(id);
    if (!entry) throw new Error(`audit entry ${id} vanished after its insert`);
    return entry;
  }
}
