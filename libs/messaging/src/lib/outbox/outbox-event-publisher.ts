import { IntegrationEventBase } from '@helpdesk/contracts';
import { afterCommit } from '@helpdesk/database';
import type { EventBus, IEvent, IEventPublisher } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { OutboxWriter } from './outbox-writer';

/**
 * The EventBus's publisher: integration events go into the outbox of the
 * current transaction and reach the app's own @EventsHandlers only once it has
 * committed (a rolled-back change raised nothing); any other event is handed
 * to the local handlers at once, as Nest's default publisher does.
 *
 * Returns a resolved promise so `await eventBus.publish(...)` reads naturally;
 * the write itself happens at commit (see OutboxWriter).
 */
export class OutboxEventPublisher implements IEventPublisher {
  constructor(
    private readonly eventBus: EventBus,
    private readonly dataSource: DataSource,
    private readonly writer: OutboxWriter,
    private readonly integrationEventsLocally = true,
  ) {}

  publish<T extends IEvent>(event: T): Promise<void> {
    return this.publishAll([event]);
  }

  publishAll<T extends IEvent>(events: T[]): Promise<void> {
    const integration = events.filter(
      (event): event is T & IntegrationEventBase => event instanceof IntegrationEventBase,
    );
    this.writer.stage(integration); // throws here, in the command, before anything else happens
    if (integration.length > 0 && this.integrationEventsLocally)
      afterCommit(this.dataSource, () =>
        integration.forEach((event) => this.dispatchLocally(event)),
      );
    for (const event of events)
      if (!(event instanceof IntegrationEventBase)) this.dispatchLocally(event);
    return Promise.resolve();
  }

  private dispatchLocally(event: IEvent): void {
    this.eventBus.subject$.next(event);
  }
}
