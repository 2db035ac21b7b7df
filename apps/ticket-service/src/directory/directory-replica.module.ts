import { Module } from '@nestjs/common';
import { DepartmentCreatedHandler } from './handlers/department-created.handler';
import { DepartmentDeletedHandler } from './handlers/department-deleted.handler';
import { DepartmentUpdatedHandler } from './handlers/department-updated.handler';
import { OrganizationCreatedHandler } from './handlers/organization-created.handler';
import { OrganizationUpdatedHandler } from './handlers/organization-updated.handler';
import { UserCreatedHandler } from './handlers/user-created.handler';
import { UserDeletedHandler } from './handlers/user-deleted.handler';
import { UserRoleChangedHandler } from './handlers/user-role-changed.handler';
import { UserUpdatedHandler } from './handlers/user-updated.handler';

export const directoryReplicaHandlers = [
  OrganizationCreatedHandler,
  OrganizationUpdatedHandler,
  DepartmentCreatedHandler,
  DepartmentUpdatedHandler,
  DepartmentDeletedHandler,
  UserCreatedHandler,
  UserUpdatedHandler,
  UserRoleChangedHandler,
  UserDeletedHandler,
];

/**
 * The local replica of user-service's directory, fed by its events. Importing
 * it is enough: EventConsumerModule binds the service's queue to the event
 * types these handlers handle, and runs them in its inbox transaction. Needs
 * the app's CqrsModule.forRoot(), DatabaseModule and OutboxModule (user.deleted
 * raises ticket.assigned).
 */
@Module({ providers: directoryReplicaHandlers })
export class DirectoryReplicaModule {}
