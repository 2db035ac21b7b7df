import { Body, Controller, Get, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { UpdateSlaPoliciesCommand } from './commands/update-sla-policies.handler';
import { GetSlaPoliciesQuery } from './queries/get-sla-policies.handler';
import { SlaPoliciesView, UpdateSlaPoliciesBody } from './sla-policies.dto';

/** The caller's organization's SLA targets: no id to pass, so no other organization to reach. */
@ApiTags('sla-policies')
@ApiBearerAuth('bearer')
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Roles('agent')
  @Get()
  @ApiOperation({ summary: 'The organization’s SLA targets (agents and above)' })
  @ApiResponse({ status: 200, type: SlaPoliciesView })
  get(@CurrentActor() actor: Actor): Promise<SlaPoliciesView> {
    return this.queries.execute(new GetSlaPoliciesQuery(actor));
  }

  @Roles('admin')
  @Put()
  @ApiOperation({
    summary: 'Replace the organization’s SLA targets (admin)',
    description:
      'Applies to tickets created or re-prioritised afterwards; running SLA clocks keep their budget.',
  })
  @ApiResponse({ status: 200, type: SlaPoliciesView })
  update(
    @CurrentActor() actor: Actor,
    @Body() body: UpdateSlaPoliciesBody,
  ): Promise<SlaPoliciesView> {
    return this.commands.execute(new UpdateSlaPoliciesCommand(actor, body));
  }
}
