import { Injectable, Module } from '@nestjs/common';
import { CqrsModule, EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { TicketCreated } from '@helpdesk/contracts';
import { DatabaseModule } from '@helpdesk/database';
import {
  consumerMigrations,
  EventConsumerModule,
  OutboxModule,
  outboxMigrations,
} from '@helpdesk/messaging';

/** When each event was committed by the producer and handled by the consumer (ms, monotonic). */
@Injectable()
export class Timeline {
  readonly committedAt = new Map<string, number>();
  readonly handledAt = new Map<string, number>();
  duplicates = 0;

  static now(): number {
    return performance.now();
  }
}

@EventsHandler(TicketCreated)
export class RecordHandled implements IEventHandler<TicketCreated> {
  constructor(private readonly timeline: Timeline) {}

  handle(event: TicketCreated): void {
    if (this.timeline.handledAt.has(event.eventId)) this.timeline.duplicates += 1;
    else this.timeline.handledAt.set(event.eventId, Timeline.now());
  }
}

export const serviceName = 'bench-service';

export const benchDatabaseOptions = {
  serviceName,
  entities: [],
  migrations: [...outboxMigrations, ...consumerMigrations],
  poolSize: Number(process.env['BENCH_POOL'] ?? 20),
};

/**
 * One process playing both sides, as two services would: commands write to
 * the outbox, the relay publishes, the consumer handles through the inbox.
 * dispatchLocally is off so an event is handled only after its trip through
 * RabbitMQ, which is the path being measured.
 */
@Module({
  imports: [
    CqrsModule.forRoot(),
    DatabaseModule.forService(benchDatabaseOptions),
    OutboxModule.forService({
      serviceName,
      dispatchLocally: false,
      relay: { pollIntervalMs: 1_000, unroutable: 'failure' },
    }),
    EventConsumerModule.forService({ serviceName, prefetch: 200 }),
  ],
  providers: [Timeline, RecordHandled],
})
export class BenchModule {}
