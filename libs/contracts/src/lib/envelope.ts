import { copyEnvelope } from './copy-envelope';

/**
 * The envelope every message on the bus carries (DESIGN §4). Producers build
 * it in the same transaction as their state change; consumers trust nothing
 * in it until `parseIntegrationEvent` has accepted it.
 */
export type ActorType = 'user' | 'service' | 'system';

export interface EventMetadata {
  /** The id shared by every message and request of one user action. */
  correlationId: string;
  /** The event or request that directly caused this one; null for a first cause. */
  causationId: string | null;
  /** Who acted: a user id, a service name, or null for the system itself. */
  actorId: string | null;
  actorType: ActorType;
  /** The client address of the request that caused it, when one did (audit trail). May be absent. */
  ip?: string | null;
  /** The client's user agent of that request, when one did. May be absent. */
  userAgent?: string | null;
}

export interface IntegrationEvent<TType extends string = string, TPayload = unknown> {
  /** uuid, unique forever: consumers de-duplicate on it. */
  eventId: string;
  /** `ticket.created`: also the routing key. */
  eventType: TType;
  /** Schema version of this event type's payload. */
  version: number;
  aggregateType: string;
  aggregateId: string;
  /** Per-aggregate sequence number (1, 2, ...): ordering and staleness checks. */
  aggregateVersion: number;
  /** The organization the event belongs to. */
  tenantId: string;
  /** ISO-8601 UTC, when the change was committed by its producer. */
  timestamp: string;
  payload: TPayload;
  metadata: EventMetadata;
}

/** Why a message was refused; carried into the dead-letter queue. */
export type ParseResult<T = IntegrationEvent> =
  { ok: true; event: T } | { ok: false; reason: string };

/**
 * What an event class in the catalogue looks like from outside: its type and
 * version as statics, and a constructor taking the whole envelope. Producers
 * create instances through @helpdesk/messaging (which fills eventId,
 * timestamp and metadata); consumers receive instances built from accepted
 * messages. Being classes, they are also what `@nestjs/cqrs` dispatches on.
 */
export interface IntegrationEventClass<TType extends string = string, TPayload = unknown> {
  readonly eventType: TType;
  readonly version: number;
  readonly aggregateType: string;
  new (envelope: IntegrationEvent<TType, TPayload>): IntegrationEventBase<TType, TPayload>;
}

/** Base of every event class: an envelope, immutable once built. */
export abstract class IntegrationEventBase<
  TType extends string = string,
  TPayload = unknown,
> implements IntegrationEvent<TType, TPayload> {
  readonly eventId!: string;
  readonly eventType!: TType;
  readonly version!: number;
  readonly aggregateType!: string;
  readonly aggregateId!: string;
  readonly aggregateVersion!: number;
  readonly tenantId!: string;
  readonly timestamp!: string;
  readonly payload!: TPayload;
  readonly metadata!: EventMetadata;

  constructor(envelope: IntegrationEvent<TType, TPayload>) {
    Object.assign(this, envelope);
    Object.freeze(this);
  }

  /** The plain envelope, as it travels on the bus. */
  toEnvelope(): IntegrationEvent<TType, TPayload> {
    return copyEnvelope(this, this.payload);
  }
}
