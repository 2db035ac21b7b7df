import type { IntegrationEventBase } from '@helpdesk/contracts';
import { HandlesAllEvents, type IntegrationEventSink } from '@helpdesk/messaging';
import { entryFromEvent } from './audit-entry';
import { AuditLog } from './audit-log';

/**
 * Every integration event of every domain becomes one entry. Runs inside the
 * consumer's inbox transaction (AuditLog.append joins it through
 * currentManager), so a redelivered event makes no second entry; the unique
 * event_id is the second guard. Secrets are redacted before anything is stored.
 */
@HandlesAllEvents()
export class RecordIntegrationEvent implements IntegrationEventSink {
  constructor(private readonly log: AuditLog) {}

  async handle(event: IntegrationEventBase): Promise<void> {
    await this.log.append(entryFromEvent(event));
  }
}
