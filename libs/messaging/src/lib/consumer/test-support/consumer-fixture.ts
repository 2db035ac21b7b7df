import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { CqrsModule, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketCreated, type IntegrationEventBase } from '@helpdesk/contracts';
import { afterCommit, currentManager, DatabaseModule } from '@helpdesk/database';
import { MetricsModule } from '@helpdesk/observability';
import { fixtureEnv, migrateFixture } from '../../test/shared-fixtures';
import { EventConsumerModule } from '../event-consumer.module';
import { HandlesAllEvents, type IntegrationEventSink } from '../handles-all-events.decorator';
import { consumerMigrations } from '../inbox.migration';
import { CreateFixtureEffects1763863300000 } from './effects.migration';

export const FIXTURE_SERVICE = 'fixture-service';
const migrations = [...consumerMigrations, CreateFixtureEffects1763863300000];

/** How the fixture handlers behave, steered by the test: which events fail, how often each ran. */
@Injectable()
export class FixtureControl {
  readonly failing = new Set<string>();
  readonly invocations = new Map<string, number>();
  /** Set in the crash fixture: exit inside the handler, or right after the commit (before the ack). */
  exitOn: 'before-commit' | 'after-commit' | undefined;
  /** When set, handlers wait for it before writing: a handler still running at shutdown. */
  hold: Promise<void> | undefined;

  count(eventId: string): number {
    return this.invocations.get(eventId) ?? 0;
  }
}

async function recordEffect(
  dataSource: DataSource,
  control: FixtureControl,
  handler: string,
  event: IntegrationEventBase,
): Promise<void> {
  control.invocations.set(event.eventId, control.count(event.eventId) + 1);
  await control.hold;
  await currentManager(dataSource).query(
    `INSERT INTO effects (handler, event_id, event_type) VALUES ($1, $2, $3)`,
    [handler, event.eventId, event.eventType],
  );
  // After the insert, so the rollback of a written effect is what the retry test proves.
  if (control.failing.has(event.eventId)) throw new Error(`fixture failure for ${event.eventId}`);
  if (control.exitOn === 'before-commit') process.exit(43);
  if (control.exitOn === 'after-commit')
    afterCommit(dataSource, () => {
      process.exit(42);
    });
}

@EventsHandler(TicketCreated)
export class RecordTicketCreated implements IEventHandler<TicketCreated> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly control: FixtureControl,
  ) {}

  handle(event: TicketCreated): Promise<void> {
    return recordEffect(this.dataSource, this.control, 'ticket-created', event);
  }
}

@HandlesAllEvents()
export class RecordEverything implements IntegrationEventSink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly control: FixtureControl,
  ) {}

  handle(event: IntegrationEventBase): Promise<void> {
    return recordEffect(this.dataSource, this.control, 'sink', event);
  }
}

export interface FixtureOptions {
  databaseUrl: string;
  brokerUrl: string;
  retryDelaysMs?: number[];
  /** Add the catch-all sink (audit style) instead of the ticket.created handler. */
  sink?: boolean;
  prefetch?: number;
  deliveryLimit?: number;
}

function env(databaseUrl: string): NodeJS.ProcessEnv {
  return fixtureEnv(FIXTURE_SERVICE, databaseUrl);
}

export function migrateFixtureDatabase(databaseUrl: string): Promise<string[]> {
  return migrateFixture(FIXTURE_SERVICE, migrations, databaseUrl);
}

/** A consuming app as a service would write it: database, CQRS, the consumer, and handlers. */
@Module({})
export class ConsumerFixtureModule {
  static with(options: FixtureOptions): DynamicModule {
    return {
      module: ConsumerFixtureModule,
      imports: [
        DatabaseModule.forService({
          serviceName: FIXTURE_SERVICE,
          entities: [],
          migrations,
          env: env(options.databaseUrl),
          poolSize: 4,
        }),
        CqrsModule.forRoot(),
        MetricsModule.forRoot({ serviceName: FIXTURE_SERVICE }),
        EventConsumerModule.forService({
          serviceName: FIXTURE_SERVICE,
          url: options.brokerUrl,
          retryDelaysMs: options.retryDelaysMs ?? [100, 200],
          prefetch: options.prefetch,
          deliveryLimit: options.deliveryLimit,
          monitorIntervalMs: 200,
        }),
      ],
      providers: [FixtureControl, options.sink ? RecordEverything : RecordTicketCreated],
    };
  }
}
