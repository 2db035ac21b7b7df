import { Global, Module } from '@nestjs/common';
import { Directory } from './directory';
import { DirectoryBootstrap } from './directory-bootstrap';
import { DepartmentCreatedHandler } from './handlers/department-created.handler';
import { DepartmentDeletedHandler } from './handlers/department-deleted.handler';
import { DepartmentUpdatedHandler } from './handlers/department-updated.handler';
import { OrganizationCreatedHandler } from './handlers/organization-created.handler';
import { OrganizationUpdatedHandler } from './handlers/organization-updated.handler';
import { UserCreatedHandler } from './handlers/user-created.handler';
import { UserDeletedHandler } from './handlers/user-deleted.handler';
import { UserRoleChangedHandler } from './handlers/user-role-changed.handler';
import { UserUpdatedHandler } from './handlers/user-updated.handler';

/** Every replica handler, one per event type (exported for tests that deliver events by hand). */
export const userDirectoryHandlers = [
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
 * A local replica of user-service's directory, fed by its events, for any
 * service that must know who is who without a call per request. Importing it
 * is enough: EventConsumerModule binds the service's queue to the event types
 * these handlers handle and runs them in its inbox transaction. Needs the
 * app's CqrsModule.forRoot() and DatabaseModule (with
 * `userDirectoryMigrations`). Global, so `Directory` is injectable anywhere.
 */
@Global()
@Module({
  providers: [...userDirectoryHandlers, Directory, DirectoryBootstrap],
  exports: [Directory],
})
export class UserDirectoryModule {}
