import { IntegrationEventBase, type IntegrationEventClass } from './envelope';
import type { Schema } from './schema/schema';

/** An event class of the catalogue: the envelope's statics plus the payload schema that guards it. */
export interface CatalogueEventClass<
  TType extends string = string,
  TPayload = unknown,
> extends IntegrationEventClass<TType, TPayload> {
  readonly payloadSchema: Schema<TPayload>;
}

export interface EventDefinition<TType extends string, TPayload> {
  eventType: TType;
  version: number;
  aggregateType: string;
  payload: Schema<TPayload>;
}

/**
 * The base class of one catalogue entry, so that every event is declared in
 * one line with no boilerplate to get wrong:
 *
 *     export class TicketCreated extends defineEvent({
 *       eventType: 'ticket.created', version: 1, aggregateType: 'ticket', payload: ticketCreatedPayload,
 *     }) {}
 *
 * Each entry is still its own named class: `instanceof`, `@nestjs/cqrs`
 * handlers (`@EventsHandler(TicketCreated)`) and log output can tell them apart.
 */
export function defineEvent<const TType extends string, TPayload>(
  definition: EventDefinition<TType, TPayload>,
) {
  abstract class CatalogueEvent extends IntegrationEventBase<TType, TPayload> {
    static readonly eventType: TType = definition.eventType;
    static readonly version: number = definition.version;
    static readonly aggregateType: string = definition.aggregateType;
    static readonly payloadSchema: Schema<TPayload> = definition.payload;
  }
  return CatalogueEvent;
}
