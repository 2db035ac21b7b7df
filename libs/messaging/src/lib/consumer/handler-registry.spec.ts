import { Module, Scope, type Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, NestFactory } from '@nestjs/core';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EVENT_TYPES, exchangeForEventType, TicketCreated } from '@helpdesk/contracts';
import { HandlesAllEvents, type IntegrationEventSink } from './handles-all-events.decorator';
import { IntegrationHandlerRegistry } from './handler-registry';
import { sampleTicketCreated } from './test-support/sample-events';

/** A local, in-process event: not in the catalogue, so never subscribed to. */
class DraftSaved {}

const seen: string[] = [];

@EventsHandler(TicketCreated, DraftSaved)
class OnTicketCreated implements IEventHandler<TicketCreated> {
  handle(event: TicketCreated): void {
    seen.push(`handler ${event.eventId}`);
  }
}

@HandlesAllEvents()
class Audit implements IntegrationEventSink {
  handle(event: TicketCreated): void {
    seen.push(`sink ${event.eventId}`);
  }
}

@EventsHandler(TicketCreated, { scope: Scope.REQUEST })
class PerRequest implements IEventHandler<TicketCreated> {
  handle(): void {
    return undefined;
  }
}

async function registryOf(...providers: Type[]): Promise<IntegrationHandlerRegistry> {
  @Module({ imports: [DiscoveryModule], providers })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  try {
    return IntegrationHandlerRegistry.discover(app.get(DiscoveryService));
  } finally {
    await app.close();
  }
}

describe('IntegrationHandlerRegistry', () => {
  beforeEach(() => seen.splice(0));

  it('subscribes to exactly the integration events the app handles', async () => {
    const registry = await registryOf(OnTicketCreated);

    expect(registry.bindings()).toEqual([
      { exchange: exchangeForEventType('ticket.created'), routingKey: 'ticket.created' },
    ]);
  });

  it('subscribes a sink to everything and dispatches to handlers and sinks, awaited', async () => {
    const registry = await registryOf(OnTicketCreated, Audit);
    const event = sampleTicketCreated();

    await registry.dispatch(event);

    const exchanges = [...new Set(EVENT_TYPES.map((type) => exchangeForEventType(type)))];
    expect(registry.bindings()).toEqual(
      expect.arrayContaining(exchanges.map((exchange) => ({ exchange, routingKey: '#' }))),
    );
    expect(seen).toEqual([`handler ${event.eventId}`, `sink ${event.eventId}`]);
  });

  it('refuses request-scoped handlers at boot', async () => {
    await expect(registryOf(PerRequest)).rejects.toThrow(/must be singletons/);
  });
});
