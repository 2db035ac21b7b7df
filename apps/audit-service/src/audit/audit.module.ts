import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditLog } from './audit-log';
import { LogAuditEntryHandler } from './commands/log-audit-entry.handler';
import { InternalAuditController } from './internal-audit.controller';
import { ExportAuditCsvHandler } from './queries/export-audit-csv.handler';
import { GetActorTrailHandler } from './queries/get-actor-trail.handler';
import { GetAuditEntryHandler } from './queries/get-audit-entry.handler';
import { GetEntityTrailHandler } from './queries/get-entity-trail.handler';
import { SearchAuditHandler } from './queries/search-audit.handler';
import { RecordIntegrationEvent } from './record-integration-event.sink';

/**
 * The log: written by RecordIntegrationEvent (every event, through the app's
 * EventConsumerModule) and by services on /internal/audit/log; read by managers.
 */
@Module({
  controllers: [AuditController, InternalAuditController],
  providers: [
    AuditLog,
    RecordIntegrationEvent,
    GetAuditEntryHandler,
    GetEntityTrailHandler,
    GetActorTrailHandler,
    SearchAuditHandler,
    ExportAuditCsvHandler,
    LogAuditEntryHandler,
  ],
})
export class AuditModule {}
