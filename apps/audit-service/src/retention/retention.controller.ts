import { Body, Controller, Get, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { UpdateRetentionCommand } from './commands/update-retention.handler';
import { GetRetentionQuery } from './queries/get-retention.handler';
import { RetentionView, UpdateRetentionBody } from './retention.dto';

/** The caller's organization's retention: no id to pass, so no other organization to reach. */
@ApiTags('audit')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('audit/retention')
export class RetentionController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'How long the organization’s audit entries are kept (admin)' })
  @ApiResponse({ status: 200, type: RetentionView })
  get(@CurrentActor() actor: Actor): Promise<RetentionView> {
    return this.queries.execute(new GetRetentionQuery(actor));
  }

  @Put()
  @ApiOperation({
    summary: 'Set how long the organization’s audit entries are kept (admin)',
    description: 'Older entries are deleted by the daily retention job.',
  })
  @ApiResponse({ status: 200, type: RetentionView })
  update(@CurrentActor() actor: Actor, @Body() body: UpdateRetentionBody): Promise<RetentionView> {
    return this.commands.execute(new UpdateRetentionCommand(actor, body));
  }
}
