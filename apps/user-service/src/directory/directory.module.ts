import { Module } from '@nestjs/common';
import { CreateDepartmentHandler } from '../departments/commands/create-department.handler';
import { DeleteDepartmentHandler } from '../departments/commands/delete-department.handler';
import { UpdateDepartmentHandler } from '../departments/commands/update-department.handler';
import { DepartmentsController } from '../departments/departments.controller';
import { GetDepartmentHandler } from '../departments/queries/get-department.handler';
import { ListDepartmentsHandler } from '../departments/queries/list-departments.handler';
import { UpdateOrganizationHandler } from '../organization/commands/update-organization.handler';
import { OrganizationController } from '../organization/organization.controller';
import { GetOrganizationHandler } from '../organization/queries/get-organization.handler';
import { AdminUsersController } from '../users/admin-users.controller';
import { ChangeUserRoleHandler } from '../users/commands/change-user-role.handler';
import { DeleteUserHandler } from '../users/commands/delete-user.handler';
import { InviteUserHandler } from '../users/commands/invite-user.handler';
import { UpdateUserHandler } from '../users/commands/update-user.handler';
import { GetUserHandler } from '../users/queries/get-user.handler';
import { ListUsersHandler } from '../users/queries/list-users.handler';
import { UsersController } from '../users/users.controller';

/** Users, the organization's settings and its departments (admin views included). */
@Module({
  controllers: [
    UsersController,
    AdminUsersController,
    OrganizationController,
    DepartmentsController,
  ],
  providers: [
    InviteUserHandler,
    UpdateUserHandler,
    ChangeUserRoleHandler,
    DeleteUserHandler,
    ListUsersHandler,
    GetUserHandler,
    GetOrganizationHandler,
    UpdateOrganizationHandler,
    CreateDepartmentHandler,
    UpdateDepartmentHandler,
    DeleteDepartmentHandler,
    ListDepartmentsHandler,
    GetDepartmentHandler,
  ],
})
export class DirectoryModule {}
