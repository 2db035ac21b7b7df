export { UserDirectoryModule, userDirectoryHandlers } from './lib/user-directory.module';
export { Directory, type DirectoryOrganization, type DirectoryUser } from './lib/directory';
export { userDirectoryMigrations } from './lib/directory-replica.migration';
export { CrossTenantEventError, ReplicaRowMissingError } from './lib/handlers/replica-rows';
export { DirectoryBootstrap } from './lib/directory-bootstrap';
