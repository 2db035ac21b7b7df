import {
  type DynamicModule,
  Injectable,
  Module,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { EventConsumer } from '../consumer/event-consumer';
import { OutboxEventPublisher } from './outbox-event-publisher';
import { OutboxHealthIndicator } from './outbox.health';
import { OutboxMetrics } from './outbox-metrics';
import { type OutboxModuleOptions, resolveRelayOptions } from './outbox-options';
import { OUTBOX_RELAY_OPTIONS, OutboxRelay } from './outbox-relay';
import { outboxStats } from './outbox-store';
import { OutboxWriter } from './outbox-writer';

/** Puts the outbox publisher on the app's EventBus and the commit hook on its DataSource. */
@Injectable()
class OutboxInstaller implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly eventBus: EventBus,
    private readonly writer: OutboxWriter,
    private readonly publisher: OutboxEventPublisher,
    private readonly relay: OutboxRelay,
  ) {}

  onModuleInit(): void {
    this.writer.attach();
    this.writer.onCommitted(() => this.relay.wake());
    this.eventBus.publisher = this.publisher;
  }

  onModuleDestroy(): void {
    this.writer.detach();
  }
}

/**
 * Integration events raised on the app's EventBus go through the outbox, and
 * a relay publishes them to RabbitMQ. Needs `CqrsModule.forRoot()` and the
 * app's `DatabaseModule` (with `outboxMigrations`); uses `MetricsModule`'s
 * registry when present. Global, so `HealthModule.forRoot({ indicators:
 * [OutboxHealthIndicator] })` can build the indicator.
 */
@Module({})
export class OutboxModule {
  static forService(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      global: true,
      providers: [
        // Resolved at boot, so a bad option fails the boot rather than the first publish.
        { provide: OUTBOX_RELAY_OPTIONS, useFactory: () => resolveRelayOptions(options) },
        {
          provide: OutboxWriter,
          useFactory: (dataSource: DataSource) => new OutboxWriter(dataSource),
          inject: [DataSource],
        },
        {
          provide: OutboxEventPublisher,
          // An app that consumes from RabbitMQ gets its own integration events
          // back through the broker (durable, retried, de-duplicated); handing
          // them to its handlers locally as well would run each handler twice.
          useFactory: (
            eventBus: EventBus,
            dataSource: DataSource,
            writer: OutboxWriter,
            consumer?: EventConsumer,
          ) =>
            new OutboxEventPublisher(
              eventBus,
              dataSource,
              writer,
              options.dispatchLocally ?? consumer === undefined,
            ),
          inject: [EventBus, DataSource, OutboxWriter, { token: EventConsumer, optional: true }],
        },
        {
          provide: OutboxMetrics,
          // Without MetricsModule the series still exist, in a registry nobody scrapes.
          useFactory: (dataSource: DataSource, registry?: Registry) =>
            new OutboxMetrics(registry ?? new Registry(), () => outboxStats(dataSource)),
          inject: [DataSource, { token: Registry, optional: true }],
        },
        OutboxInstaller,
        OutboxRelay,
        OutboxHealthIndicator,
      ],
      // The options too: HealthModule builds its own OutboxHealthIndicator from them.
      exports: [
        OUTBOX_RELAY_OPTIONS,
        OutboxRelay,
        OutboxHealthIndicator,
        OutboxEventPublisher,
        OutboxMetrics,
      ],
    };
  }
}
