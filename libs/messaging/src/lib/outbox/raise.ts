import { randomUUID } from 'node:crypto';
import type { ActorType, IntegrationEvent, IntegrationEventBase } from '@helpdesk/contracts';
import { currentContext } from '@helpdesk/observability';
import { currentEventContext } from './event-context';
import { serializeEvent } from './serialize-event';

/** An event class of the catalogue, typed so that its payload type is inferred from it. */
export interface RaisableEventClass<TType extends string, TPayload, TEvent> {
  readonly eventType: TType;
  readonly version: number;
  readonly aggregateType: string;
  new (envelope: IntegrationEvent<TType, TPayload>): TEvent;
}

export interface RaiseInput<TPayload> {
  tenantId: string;
  aggregateId: string;
  /** The aggregate's version after this change (1 for a creation). */
  aggregateVersion: number;
  payload: TPayload;
  /** Defaults to the current event context's actor (see withEventContext). */
  actor?: { actorId: string | null; actorType: ActorType };
  /** Defaults to the current event context's causation. */
  causationId?: string | null;
}

/**
 * Builds an event of `eventClass` with the envelope filled in: a new eventId,
 * the time now, and metadata from the current contexts. Refuses (throws
 * InvalidIntegrationEventError) an event consumers would refuse.
 */
export function raise<
  TType extends string,
  TPayload,
  TEvent extends IntegrationEventBase<TType, TPayload>,
>(
  eventClass: RaisableEventClass<TType, TPayload, TEvent>,
  // NoInfer: the payload's type comes from the event class alone, so a payload
  // that does not match the catalogue is an error here, not a new inferred type.
  input: RaiseInput<NoInfer<TPayload>>,
): TEvent {
  const context = currentEventContext();
  const request = currentContext();
  const actor = input.actor ?? context;
  const event = new eventClass({
    eventId: randomUUID(),
    eventType: eventClass.eventType,
    version: eventClass.version,
    aggregateType: eventClass.aggregateType,
    aggregateId: input.aggregateId,
    aggregateVersion: input.aggregateVersion,
    tenantId: input.tenantId,
    timestamp: new Date().toISOString(),
    payload: input.payload,
    metadata: {
      // One story across services: the request's id, else this event starts a new one.
      correlationId: request?.correlationId ?? randomUUID(),
      causationId: input.causationId !== undefined ? input.causationId : context.causationId,
      actorId: actor.actorId,
      actorType: actor.actorType,
      // Where the causing request came from, for the audit trail; absent for work no request caused.
      ...(request?.requestId !== undefined
        ? { ip: request.clientIp ?? null, userAgent: request.userAgent ?? null }
        : {}),
    },
  });
  serializeEvent(event);
  return event;
}
