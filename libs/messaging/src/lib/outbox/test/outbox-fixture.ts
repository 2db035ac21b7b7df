import { randomUUID } from 'node:crypto';
import { type DynamicModule, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketCreated } from '@helpdesk/contracts';
import { DatabaseModule } from '@helpdesk/database';
import { MetricsModule } from '@helpdesk/observability';
import { fixtureEnv, migrateFixture, ticketCreatedPayload } from '../../test/shared-fixtures';
import { outboxMigrations } from '../outbox.migration';
import { OutboxModule } from '../outbox.module';
import type { OutboxRelayOptions } from '../outbox-options';
import { raise } from '../raise';

export const FIXTURE_SERVICE = 'outbox-fixture';

function env(databaseUrl: string): NodeJS.ProcessEnv {
  return fixtureEnv(FIXTURE_SERVICE, databaseUrl);
}

export function migrateFixtureDatabase(databaseUrl: string): Promise<string[]> {
  return migrateFixture(FIXTURE_SERVICE, outboxMigrations, databaseUrl);
}

/** The eventIds the app's own handler saw, in order. */
@Injectable()
export class LocalDeliveries {
  readonly eventIds: string[] = [];
}

@EventsHandler(TicketCreated)
export class RecordTicketCreatedLocally implements IEventHandler<TicketCreated> {
  constructor(private readonly deliveries: LocalDeliveries) {}

  handle(event: TicketCreated): void {
    this.deliveries.eventIds.push(event.eventId);
  }
}

export interface FixtureOptions {
  databaseUrl: string;
  brokerUrl: string;
  /** Distinguishes replicas' broker connections. */
  serviceName?: string;
  relay?: OutboxRelayOptions;
  dispatchLocally?: boolean;
}

/** A publishing app as a service writes it: database, CQRS, metrics, the outbox, a local handler. */
@Module({})
export class OutboxFixtureModule {
  static with(options: FixtureOptions): DynamicModule {
    return {
      module: OutboxFixtureModule,
      imports: [
        DatabaseModule.forService({
          serviceName: FIXTURE_SERVICE,
          entities: [],
          migrations: outboxMigrations,
          env: env(options.databaseUrl),
          poolSize: 4,
        }),
        CqrsModule.forRoot(),
        MetricsModule.forRoot({ serviceName: FIXTURE_SERVICE }),
        OutboxModule.forService({
          serviceName: options.serviceName ?? FIXTURE_SERVICE,
          dispatchLocally: options.dispatchLocally,
          relay: {
            url: options.brokerUrl,
            rowRetryInitialDelayMs: 100,
            rowRetryMaxDelayMs: 400,
            retryMaxDelayMs: 500,
            ...options.relay,
          },
        }),
      ],
      providers: [LocalDeliveries, RecordTicketCreatedLocally],
    };
  }
}

export async function startFixtureApp(options: FixtureOptions) {
  const app = await NestFactory.createApplicationContext(OutboxFixtureModule.with(options), {
    logger: ['error'],
  });
  await app.init();
  return app;
}

export interface TicketCreatedInput {
  tenantId?: string;
  aggregateId?: string;
  aggregateVersion?: number;
}

/** A valid ticket.created for `aggregateId` at `aggregateVersion` (new ticket by default). */
export function ticketCreated(input: TicketCreatedInput = {}): TicketCreated {
  const aggregateId = input.aggregateId ?? randomUUID();
  return raise(TicketCreated, {
    tenantId: input.tenantId ?? randomUUID(),
    aggregateId,
    aggregateVersion: input.aggregateVersion ?? 1,
    payload: ticketCreatedPayload(aggregateId),
  });
}

export { ticketCreatedPayload };
