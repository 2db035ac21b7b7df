import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { type EventConsumerOptions, resolveConsumerOptions } from './consumer-options';
import { EVENT_CONSUMER_OPTIONS, EventConsumer } from './event-consumer';
import { EventConsumerHealthIndicator } from './event-consumer.health';

/**
 * Consumes the service's integration events and dispatches them to its
 * `@EventsHandler`s and `@HandlesAllEvents` sinks. Needs the app's
 * `DatabaseModule` (with `consumerMigrations`); uses `MetricsModule`'s registry
 * when present. Global, so `HealthModule.forRoot({ indicators:
 * [EventConsumerHealthIndicator] })` can build the indicator.
 */
@Module({})
export class EventConsumerModule {
  static forService(options: EventConsumerOptions): DynamicModule {
    return {
      module: EventConsumerModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        // Resolved when the app boots, so a bad option fails the boot rather than the first message.
        { provide: EVENT_CONSUMER_OPTIONS, useFactory: () => resolveConsumerOptions(options) },
        EventConsumer,
        EventConsumerHealthIndicator,
      ],
      exports: [EventConsumer, EventConsumerHealthIndicator],
    };
  }
}
