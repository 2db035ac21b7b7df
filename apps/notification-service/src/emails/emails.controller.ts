import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import type { Paginated } from '@helpdesk/http';
import { EmailView } from './email-view';
import { ListEmailsQuery } from './emails.dto';
import { GetEmailQuery } from './get-email.handler';
import { ListEmailsQueryMessage } from './list-emails.handler';

/** Admins: what was sent to whom in their organization, and what failed. */
@ApiTags('notifications')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('notifications/emails')
export class EmailsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The organization’s e-mails, newest first' })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListEmailsQuery,
  ): Promise<Paginated<EmailView>> {
    return this.queries.execute(new ListEmailsQueryMessage(actor.organizationId, query));
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: EmailView })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<EmailView> {
    return this.queries.execute(new GetEmailQuery(actor.organizationId, id));
  }
}
