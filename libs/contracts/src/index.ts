// The envelope (DESIGN §4)
export type {
  ActorType,
  EventMetadata,
  IntegrationEvent,
  IntegrationEventClass,
  ParseResult,
} from './lib/envelope';
export { IntegrationEventBase } from './lib/envelope';

// Validation of what comes off the bus, and of what producers are about to write
export { MAX_EVENT_BYTES, parseIntegrationEvent } from './lib/validation/parse-integration-event';
export { validateEnvelope } from './lib/validation/validate-envelope';
export { validatePayload, type PayloadCheck } from './lib/validation/validate-payload';
export { REDACTED, redactSecrets } from './lib/redact-secrets';

// The catalogue
export {
  EVENT_TYPES,
  eventClassFor,
  isEventType,
  supportedVersions,
  type EventClassOf,
  type EventOf,
  type EventPayload,
  type EventType,
} from './lib/catalogue';
export type { CatalogueEventClass } from './lib/define-event';
export { EXCHANGES, exchangeForEventType, type Exchange } from './lib/exchanges';
export {
  ROLES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Role,
  type TicketPriority,
  type TicketStatus,
} from './lib/events/common.schemas';
export type { Infer, Schema } from './lib/schema/schema';

export * from './lib/events/organization.events';
export * from './lib/events/department.events';
export * from './lib/events/user.events';
export * from './lib/events/session.events';
export * from './lib/events/ticket.events';
export * from './lib/events/notification.events';
export * from './lib/events/webhook.events';
