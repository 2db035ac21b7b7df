import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Roles } from '@helpdesk/auth';
import { ApiProblemResponse, type Paginated } from '@helpdesk/http';
import { PathId } from '../directory/path-id';
import { CreateDepartmentCommand } from './commands/create-department.handler';
import { DeleteDepartmentCommand } from './commands/delete-department.handler';
import { UpdateDepartmentCommand } from './commands/update-department.handler';
import { DepartmentView } from './department.view';
import {
  CreateDepartmentBody,
  ListDepartmentsParams,
  UpdateDepartmentBody,
} from './departments.dto';
import { GetDepartmentQuery } from './queries/get-department.handler';
import { ListDepartmentsQuery } from './queries/list-departments.handler';

/** Read by every member of the organization; changed by its admins. */
@ApiTags('departments')
@ApiBearerAuth('bearer')
@Controller('departments')
export class DepartmentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The organization’s departments (any member)' })
  list(
    @CurrentActor() actor: Actor,
    @Query() params: ListDepartmentsParams,
  ): Promise<Paginated<DepartmentView>> {
    return this.queries.execute(new ListDepartmentsQuery(actor, params));
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: DepartmentView })
  @ApiProblemResponse(404, 'No such department in the caller’s organization')
  get(@CurrentActor() actor: Actor, @PathId('Department') id: string): Promise<DepartmentView> {
    return this.queries.execute(new GetDepartmentQuery(actor, id));
  }

  @Roles('admin')
  @Post()
  @ApiResponse({ status: 201, type: DepartmentView })
  @ApiProblemResponse(409, 'A department of that name (ignoring case) exists')
  create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateDepartmentBody,
  ): Promise<DepartmentView> {
    return this.commands.execute(new CreateDepartmentCommand(actor, body));
  }

  @Roles('admin')
  @Patch(':id')
  @ApiResponse({ status: 200, type: DepartmentView })
  @ApiProblemResponse(404, 'No such department in the caller’s organization')
  @ApiProblemResponse(409, 'A department of that name (ignoring case) exists')
  update(
    @CurrentActor() actor: Actor,
    @PathId('Department') id: string,
    @Body() body: UpdateDepartmentBody,
  ): Promise<DepartmentView> {
    return this.commands.execute(new UpdateDepartmentCommand(actor, id, body));
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a department; its users stay, without a department' })
  @ApiProblemResponse(404, 'No such department in the caller’s organization')
  async remove(@CurrentActor() actor: Actor, @PathId('Department') id: string): Promise<void> {
    await this.commands.execute(new DeleteDepartmentCommand(actor, id));
  }
}
