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
import { migrations } from './migrations';
import { entities } from './persistence/schemas';
import { SlaPoliciesModule } from './sla/policies/sla-policies.module';
import { SearchModule } from './search/search.module';
import { TicketsModule } from './tickets/tickets.module';

export const serviceName = 'ticket-service';

/** Reads TICKET_SERVICE_DATABASE_URL. */
export const databaseServiceOptions: DatabaseServiceOptions = {
  serviceName,
  entities,
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
  openApi: { title: 'Helpdesk tickets (ticket-service)' },
};

@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule.forService(databaseServiceOptions),
    OutboxModule.forService({ serviceName }),
    EventConsumerModule.forService({ serviceName }),
    // Verifies user-service's tokens from its JWKS (AUTH_JWKS_URL).
    AuthModule.forService({ serviceName }),
    HealthModule.forRoot({
      indicators: [DatabaseHealthIndicator, OutboxHealthIndicator, EventConsumerHealthIndicator],
    }),
    // Who is who (assignees, requesters, departments, business hours), fed by user-service's events.
    UserDirectoryModule,
    SlaPoliciesModule,
    TicketsModule,
    SearchModule,
  ],
  providers: [
    // session.revoked → this service's deny-list of sessions.
    SessionRevokedHandler,
  ],
})
export class TicketServiceModule {}

export { TicketServiceModule as AppModule };
