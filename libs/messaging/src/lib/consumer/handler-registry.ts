import type { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
// Not re-exported by the package root; it is the key @EventsHandler() writes, stable across 10.x–11.x.
import { EVENTS_HANDLER_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import {
  EVENT_TYPES,
  exchangeForEventType,
  IntegrationEventBase,
  type IntegrationEventClass,
} from '@helpdesk/contracts';
import type { ConsumerBinding } from './consumer-options';
import {
  HANDLES_ALL_EVENTS_METADATA,
  type IntegrationEventSink,
} from './handles-all-events.decorator';

type Handler = IntegrationEventSink;
type EventClass = abstract new (...args: never[]) => unknown;

function isIntegrationEventClass(candidate: unknown): candidate is IntegrationEventClass {
  return (
    typeof candidate === 'function' &&
    candidate.prototype instanceof IntegrationEventBase &&
    typeof (candidate as { eventType?: unknown }).eventType === 'string'
  );
}

function handlerOf(wrapper: InstanceWrapper): Handler {
  const name = wrapper.metatype?.name ?? String(wrapper.token);
  if (!wrapper.isDependencyTreeStatic())
    // A request-scoped handler would need a context per message; nothing here needs one yet.
    throw new Error(`${name}: integration event handlers must be singletons (no request scope).`);
  const instance: unknown = wrapper.instance;
  if (typeof (instance as Partial<Handler> | undefined)?.handle !== 'function')
    throw new Error(`${name}: an event handler needs a handle(event) method.`);
  return instance as Handler;
}

/**
 * The app's handlers for integration events: every `@EventsHandler(SomeEvent)`
 * whose event is in the contracts catalogue, plus every `@HandlesAllEvents()`
 * sink. Local (non-integration) events are left to Nest's EventBus.
 */
export class IntegrationHandlerRegistry {
  private constructor(
    private readonly byClass: ReadonlyMap<EventClass, readonly Handler[]>,
    private readonly sinks: readonly Handler[],
  ) {}

  static discover(discovery: DiscoveryService): IntegrationHandlerRegistry {
    const byClass = new Map<EventClass, Handler[]>();
    const sinks = new Set<Handler>();
    for (const wrapper of discovery.getProviders()) {
      const metatype = wrapper.metatype;
      if (typeof metatype !== 'function') continue;
      const handled: unknown = Reflect.getMetadata(EVENTS_HANDLER_METADATA, metatype);
      const eventClasses = Array.isArray(handled) ? handled.filter(isIntegrationEventClass) : [];
      const isSink = Reflect.getMetadata(HANDLES_ALL_EVENTS_METADATA, metatype) === true;
      if (eventClasses.length === 0 && !isSink) continue;
      const handler = handlerOf(wrapper);
      if (isSink) sinks.add(handler);
      for (const eventClass of eventClasses) {
        const handlers = byClass.get(eventClass) ?? [];
        // The same provider exported through several modules is one handler.
        if (!handlers.includes(handler)) handlers.push(handler);
        byClass.set(eventClass, handlers);
      }
    }
    return new IntegrationHandlerRegistry(byClass, [...sinks]);
  }

  /** What the work queue must be bound to so that every handler gets its events. */
  bindings(): ConsumerBinding[] {
    const bindings = new Map<string, ConsumerBinding>();
    const add = (exchange: string, routingKey: string): void => {
      bindings.set(`${exchange} ${routingKey}`, { exchange, routingKey });
    };
    if (this.sinks.length > 0) {
      for (const exchange of new Set(EVENT_TYPES.map((type) => exchangeForEventType(type))))
        add(exchange, '#');
    }
    for (const eventClass of this.byClass.keys()) {
      const { eventType } = eventClass as unknown as IntegrationEventClass;
      add(exchangeForEventType(eventType), eventType);
    }
    return [...bindings.values()];
  }

  get handlerCount(): number {
    return new Set([...this.sinks, ...[...this.byClass.values()].flat()]).size;
  }

  /** Runs every handler of the event, one after another, awaiting each; the first failure stops the rest. */
  async dispatch(event: IntegrationEventBase): Promise<void> {
    const handlers = this.byClass.get(event.constructor as EventClass) ?? [];
    for (const handler of new Set([...handlers, ...this.sinks])) await handler.handle(event);
  }
}
