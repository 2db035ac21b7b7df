import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthModule, authMigrations, SessionRevokedHandler } from '@helpdesk/auth';
import {
  DatabaseHealthIndicator,
  DatabaseModule,
  type DatabaseServiceOptions,
} from '@helpdesk/database';
import type { HttpAppOptions } from '@helpdesk/http';
import {
  consumerMigrations,
  EventConsumerHealthIndicator,
  EventConsumerModule,
} from '@helpdesk/messaging';
import { HealthModule } from '@helpdesk/observability';
import { AuditModule } from './audit/audit.module';
import { migrations } from './migrations';
import { RetentionModule } from './retention/retention.module';

export const serviceName = 'audit-service';

/** Reads AUDIT_SERVICE_DATABASE_URL. No entities: the log is written and read with plain SQL. */
export const databaseServiceOptions: DatabaseServiceOptions = {
  serviceName,
  entities: [],
  migrations: [...consumerMigrations, ...authMigrations, ...migrations],
};

export const httpAppOptions: HttpAppOptions = {
  serviceName,
  openApi: { title: 'Helpdesk audit log (audit-service)' },
  // Service-to-service only: guarded by @InternalOnly(), not routed by the gateway.
  rootRoutes: ['internal/audit/log'],
};

@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule.forService(databaseServiceOptions),
    // It publishes nothing (no outbox); it consumes every event of every domain.
    EventConsumerModule.forService({ serviceName }),
    // Verifies user-service's tokens from its JWKS (AUTH_JWKS_URL).
    AuthModule.forService({ serviceName }),
    HealthModule.forRoot({ indicators: [DatabaseHealthIndicator, EventConsumerHealthIndicator] }),
    AuditModule,
    RetentionModule,
  ],
  providers: [
    // session.revoked → this service's deny-list of sessions.
    SessionRevokedHandler,
  ],
})
export class AuditServiceModule {}

export { AuditServiceModule as AppModule };
