import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { ApiProblemResponse, type Paginated } from '@helpdesk/http';
import { PathId } from '../directory/path-id';
import { ChangeUserRoleCommand } from './commands/change-user-role.handler';
import { DeleteUserCommand } from './commands/delete-user.handler';
import { InviteUserCommand } from './commands/invite-user.handler';
import { UpdateUserCommand } from './commands/update-user.handler';
import { GetUserQuery } from './queries/get-user.handler';
import { ListUsersQuery } from './queries/list-users.handler';
import { UserView } from './user.view';
import { ChangeRoleBody, InviteUserBody, ListUsersParams, UpdateUserBody } from './users.dto';

@ApiTags('users')
@ApiBearerAuth('bearer')
@Controller('users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Roles('agent')
  @Get()
  @ApiOperation({ summary: 'The organization’s users (agents and up)' })
  list(
    @CurrentActor() actor: Actor,
    @Query() params: ListUsersParams,
  ): Promise<Paginated<UserView>> {
    return this.queries.execute(new ListUsersQuery(actor, params));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (agents and up, or oneself)' })
  @ApiResponse({ status: 200, type: UserView })
  @ApiProblemResponse(404, 'No such user the caller may see')
  get(@CurrentActor() actor: Actor, @PathId('User') id: string): Promise<UserView> {
    return this.queries.execute(new GetUserQuery(actor, id));
  }

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: 'Invite a user: they get an e-mail with a set-password link' })
  @ApiResponse({ status: 201, type: UserView })
  @ApiProblemResponse(
    400,
    'Invalid fields, or departmentId is not a department of the organization',
  )
  @ApiProblemResponse(409, 'The e-mail is already used in this organization')
  invite(@CurrentActor() actor: Actor, @Body() body: InviteUserBody): Promise<UserView> {
    return this.commands.execute(new InviteUserCommand(actor, body));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a user (admins), or one’s own name' })
  @ApiResponse({ status: 200, type: UserView })
  @ApiProblemResponse(403, 'Not an admin, and not (only) one’s own name')
  @ApiProblemResponse(404, 'No such user the caller may see')
  update(
    @CurrentActor() actor: Actor,
    @PathId('User') id: string,
    @Body() body: UpdateUserBody,
  ): Promise<UserView> {
    return this.commands.execute(new UpdateUserCommand(actor, id, body));
  }

  @Roles('admin')
  @Patch(':id/role')
  @ApiOperation({ summary: 'Change a user’s role; a demotion signs them out everywhere' })
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

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user; their sessions end at once' })
  @ApiProblemResponse(404, 'No such user in the organization')
  @ApiProblemResponse(409, 'The organization’s last admin cannot be deleted')
  async remove(@CurrentActor() actor: Actor, @PathId('User') id: string): Promise<void> {
    await this.commands.execute(new DeleteUserCommand(actor, id));
  }
}
