import { Body, Controller, Get, Patch } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { ApiProblemResponse } from '@helpdesk/http';
import { UpdateOrganizationCommand } from './commands/update-organization.handler';
import { UpdateOrganizationBody } from './organization.dto';
import { OrganizationView } from './organization.view';
import { GetOrganizationQuery } from './queries/get-organization.handler';

/** The caller's own organization: there is no id to pass, hence no other organization to reach. */
@ApiTags('organization')
@ApiBearerAuth('bearer')
@Controller('organization')
export class OrganizationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s organization (any member)' })
  @ApiResponse({ status: 200, type: OrganizationView })
  get(@CurrentActor() actor: Actor): Promise<OrganizationView> {
    return this.queries.execute(new GetOrganizationQuery(actor));
  }

  @Roles('admin')
  @Patch()
  @ApiOperation({ summary: 'Change the organization’s settings' })
  @ApiResponse({ status: 200, type: OrganizationView })
  @ApiProblemResponse(409, 'The slug is used by another organization')
  update(
    @CurrentActor() actor: Actor,
    @Body() body: UpdateOrganizationBody,
  ): Promise<OrganizationView> {
    return this.commands.execute(new UpdateOrganizationCommand(actor, body));
  }
}
