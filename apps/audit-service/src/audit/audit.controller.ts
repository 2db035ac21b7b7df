import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { StreamableFile } from '@nestjs/common';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { ApiProblemResponse, PageQuery, type Paginated } from '@helpdesk/http';
import { AuditEntryView } from './audit-entry.view';
import { AuditFilterQuery, AuditSearchQuery } from './audit.dto';
import { ExportAuditCsvQuery } from './queries/export-audit-csv.handler';
import { GetActorTrailQuery } from './queries/get-actor-trail.handler';
import { GetAuditEntryQuery } from './queries/get-audit-entry.handler';
import { GetEntityTrailQuery } from './queries/get-entity-trail.handler';
import { SearchAuditQuery } from './queries/search-audit.handler';

/** The organization's audit log, for managers and admins; the tenant is the token's. */
@ApiTags('audit')
@ApiBearerAuth('bearer')
@ApiExtraModels(AuditEntryView)
@Roles('manager')
@Controller('audit')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('entity/:type/:id')
  @ApiOperation({ summary: 'The trail of one entity, oldest first (paginated)' })
  @ApiResponse({ status: 200, description: '`{ data: AuditEntry[], pagination }`' })
  @ApiProblemResponse(404, 'The organization has no entry for this entity')
  entityTrail(
    @CurrentActor() actor: Actor,
    @Param('type') type: string,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<Paginated<AuditEntryView>> {
    return this.queries.execute(new GetEntityTrailQuery(actor, type, id, page));
  }

  @Get('actor/:id')
  @ApiOperation({ summary: 'What one actor did, newest first (paginated)' })
  @ApiResponse({ status: 200, description: '`{ data: AuditEntry[], pagination }`' })
  @ApiProblemResponse(404, 'The actor has no entry in the organization')
  actorTrail(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() page: PageQuery,
  ): Promise<Paginated<AuditEntryView>> {
    return this.queries.execute(new GetActorTrailQuery(actor, id, page));
  }

  @Get('search')
  @ApiOperation({ summary: 'Entries matching every given filter, newest first (paginated)' })
  @ApiResponse({ status: 200, description: '`{ data: AuditEntry[], pagination }`' })
  search(
    @CurrentActor() actor: Actor,
    @Query() query: AuditSearchQuery,
  ): Promise<Paginated<AuditEntryView>> {
    return this.queries.execute(new SearchAuditQuery(actor, query));
  }

  @Get('export/csv')
  @ApiOperation({
    summary: 'The search’s entries as CSV, newest first, streamed',
    description:
      "Header row: the entry’s fields. RFC 4180 quoting; a cell starting with =, +, -, @, tab or CR is prefixed with '. `changes` as JSON.",
  })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'text/csv; charset=utf-8 attachment' })
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Query() query: AuditFilterQuery,
  ): Promise<StreamableFile> {
    const stream = await this.queries.execute(new ExportAuditCsvQuery(actor, query));
    const date = new Date().toISOString().slice(0, 10);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="audit-${date}.csv"`,
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One entry' })
  @ApiResponse({ status: 200, type: AuditEntryView })
  @ApiProblemResponse(404, 'No such entry in the organization')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<AuditEntryView> {
    return this.queries.execute(new GetAuditEntryQuery(actor, id));
  }
}
