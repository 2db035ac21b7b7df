import { Readable } from 'node:stream';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { AuditLog, type TenantAuditLog, type AuditFilter } from '../audit-log';
import { auditFilter, type AuditFilterQuery } from '../audit.dto';
import { CSV_HEADER, csvRow } from '../csv';

export class ExportAuditCsvQuery {
  constructor(
    readonly actor: Actor,
    readonly query: AuditFilterQuery,
  ) {}
}

async function* csvChunks(log: TenantAuditLog, filter: AuditFilter): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const batch of log.batches(filter)) yield batch.map(csvRow).join('');
}

/**
 * `GET /audit/export/csv`: the search's entries, newest first, as a stream of
 * CSV text — one chunk per batch of the store, pulled only as fast as the
 * client reads (Readable.from honours backpressure), so memory stays at one
 * batch whatever the size of the export.
 */
@QueryHandler(ExportAuditCsvQuery)
export class ExportAuditCsvHandler implements IQueryHandler<ExportAuditCsvQuery, Readable> {
  constructor(private readonly log: AuditLog) {}

  async execute({ actor, query }: ExportAuditCsvQuery): Promise<Readable> {
    const chunks = csvChunks(this.log.forTenant(actor.organizationId), auditFilter(query));
    return Readable.from(chunks, { objectMode: false });
  }
}
