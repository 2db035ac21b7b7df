import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import type { Role } from '@helpdesk/contracts';
import { ApiProblemResponse, type Paginated } from '@helpdesk/http';
import { PathId } from '../directory/path-id';
import { ChangeUserRoleCommand } from './commands/change-user-role.handler';
import { DeleteUserCommand } from './commands/delete-user.handler';
import { ListUsersQuery } from './queries/list-users.handler';
import { UserView } from './user.view';
import { ChangeRoleBody, ListUsersParams } from './users.dto';

const AGENT_ROLES: readonly Role[] = ['agent', 'manager', 'admin'];

/** The admin console's views of the directory: the same commands and queries as /users. */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@Controller('admin')
export class AdminUsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'All users of the organization' })
  users(
    @CurrentActor() actor: Actor,
    @Query() params: ListUsersParams,
  ): Promise<Paginated<UserView>> {
    return this.queries.execute(new ListUsersQuery(actor, params));
  }

  @Get('agents')
  @ApiOperation({ summary: 'The organization’s agents, managers and admins' })
  agents(
    @CurrentActor() actor: Actor,
    @Query() params: ListUsersParams,
  ): Promise<Paginated<UserView>> {
    return this.queries.execute(new ListUsersQuery(actor, params, AGENT_ROLES));
  }

  @Patch('users/:id/role')
  @ApiResponse({ status: 200, type: UserView })
  @ApiProblemResponse(404, 'No such user in the organization')
  @ApiProblemResponse(409, 'The organization’s last admin cannot be demoted')
  changeRole(
    @CurrentActor() actor: Actor,
    @PathId('User') id: string,
    @Body() body: ChangeRoleBody,
  ): Promise<UserView> {
    return this.commands.execute(new ChangeUserRoleCommand(actor, id, body.role));
  }

  @Delete('users/:id')
  @HttpCode(204)
  @ApiProblemResponse(404, 'No such user in the organization')
  @ApiProblemResponse(409, 'The organization’s last admin cannot be deleted')
  async remove(@CurrentActor() actor: Actor, @PathId('User') id: string): Promise<void> {
    await this.commands.execute(new DeleteUserCommand(actor, id));
  }
}
