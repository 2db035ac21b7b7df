import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule, authMigrations } from '@helpdesk/auth';
import {
  DatabaseHealthIndicator,
  DatabaseModule,
  type DatabaseServiceOptions,
} from '@helpdesk/database';
import type { HttpAppOptions } from '@helpdesk/http';
import { OutboxHealthIndicator, OutboxModule, outboxMigrations } from '@helpdesk/messaging';
import { HealthModule, RabbitMqHealthIndicator } from '@helpdesk/observability';
import { IDENTITY_SETTINGS, identitySettings } from './config';
import { DirectoryModule } from './directory/directory.module';
import { IdentityModule } from './identity/identity.module';
import { PasswordHasher } from './identity/secrets';
import { SessionTokens } from './identity/session-tokens';
import { InternalModule } from './internal/internal.module';
import { AccessTokens } from './keys/access-tokens';
import { JwksController } from './keys/jwks.controller';
import { SigningKeys } from './keys/signing-keys';
import { migrations } from './migrations';
import { entities } from './persistence/schemas';
import { TenantScopes } from './tenancy/tenant-scope';
import { DemoSeed } from './seed/demo-seed';

export const serviceName = 'user-service';

/** Reads USER_SERVICE_DATABASE_URL. */
export const databaseServiceOptions: DatabaseServiceOptions = {
  serviceName,
  entities,
  migrations: [...outboxMigrations, ...authMigrations, ...migrations],
};

/** How main.ts and the tests build the HTTP app: the same way. */
export const httpAppOptions: HttpAppOptions = {
  serviceName,
  rootRoutes: [
    '.well-known/jwks.json',
    'internal/auth/validate',
    'internal/directory/organizations',
    'internal/directory/departments',
    'internal/directory/users',
  ],
  openApi: { title: 'Helpdesk identity (user-service)' },
};

/** What the feature modules share: settings, keys, tokens, tenant-scoped repositories. */
@Global()
@Module({
  providers: [
    { provide: IDENTITY_SETTINGS, useFactory: () => identitySettings() },
    SigningKeys,
    AccessTokens,
    PasswordHasher,
    SessionTokens,
    TenantScopes,
  ],
  exports: [
    IDENTITY_SETTINGS,
    SigningKeys,
    AccessTokens,
    PasswordHasher,
    SessionTokens,
    TenantScopes,
  ],
})
class IdentityCoreModule {}

@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule.forService(databaseServiceOptions),
    OutboxModule.forService({ serviceName }),
    IdentityCoreModule,
    // Our own tokens are verified with our own keys: no HTTP round trip to ourselves.
    AuthModule.forService({
      serviceName,
      keyResolver: { useFactory: (keys: SigningKeys) => keys, inject: [SigningKeys] },
    }),
    HealthModule.forRoot({
      indicators: [DatabaseHealthIndicator, RabbitMqHealthIndicator, OutboxHealthIndicator],
    }),
    IdentityModule,
    DirectoryModule,
    InternalModule,
  ],
  controllers: [JwksController],
  providers: [DemoSeed],
})
export class UserServiceModule {}

export { UserServiceModule as AppModule };
