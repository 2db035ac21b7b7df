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
  OutboxHealthIndicator,
  OutboxModule,
  outboxMigrations,
} from '@helpdesk/messaging';
import { HealthModule } from '@helpdesk/observability';
import { UserDirectoryModule, userDirectoryMigrations } from '@helpdesk/user-directory';
import { EmailModule } from './email/email.module';
import { SmtpHealthIndicator } from './email/smtp-health.indicator';
import { NotificationEventsModule } from './events/events.module';
import { migrations } from './migrations';
import { NotificationsModule } from './notifications/notifications.module';

export const serviceName = 'notification-service';

/** Reads NOTIFICATION_SERVICE_DATABASE_URL. */
export const databaseServiceOptions: DatabaseServiceOptions = {
  serviceName,
  entities: [],
  migrations: [
    ...outboxMigrations,
    ...consumerMigrations,
    ...authMigrations,
    ...userDirectoryMigrations,
    ...migrations,
  ],
};

export const httpAppOptions: HttpAppOptions = {
  serviceName,
  openApi: { title: 'Helpdesk notifications (notification-service)' },
  // Service to service only (@InternalOnly); the gateway does not route it.
  rootRoutes: ['internal/notifications/email'],
};

@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule.forService(databaseServiceOptions),
    // notification.email_sent / notification.email_failed, in the status change's transaction.
    OutboxModule.forService({ serviceName }),
    EventConsumerModule.forService({ serviceName }),
    // Verifies user-service's tokens from its JWKS (AUTH_JWKS_URL).
    AuthModule.forService({ serviceName }),
    HealthModule.forRoot({
      indicators: [
        DatabaseHealthIndicator,
        OutboxHealthIndicator,
        EventConsumerHealthIndicator,
        // Always up: reports reachability as a detail; mails wait in the queue meanwhile.
        SmtpHealthIndicator,
      ],
    }),
    // organization.*, department.*, user.* → who is who, for recipients.
    UserDirectoryModule,
    EmailModule,
    NotificationEventsModule,
    NotificationsModule,
  ],
  providers: [
    // session.revoked → this service's deny-list of sessions.
    SessionRevokedHandler,
  ],
})
export class NotificationServiceModule {}

export { NotificationServiceModule as AppModule };
