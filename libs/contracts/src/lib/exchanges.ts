import { isEventType, type EventType } from './catalogue';
import { hasOwn } from './schema/schema';

/**
 * One durable topic exchange per publishing domain (DESIGN §4); the routing key
 * is the event type. `audit.events` (named in DESIGN §4) is not listed: no
 * service publishes to it — audit-service binds its queue to all three.
 */
export const EXCHANGES = ['user.events', 'ticket.events', 'notification.events'] as const;
export type Exchange = (typeof EXCHANGES)[number];

type DomainOf<T extends string> = T extends `${infer Domain}.${string}` ? Domain : never;

// Typed over every prefix of the catalogue: a new domain does not compile until it is mapped here.
const EXCHANGE_BY_DOMAIN: Readonly<Record<DomainOf<EventType>, Exchange>> = {
  organization: 'user.events',
  department: 'user.events',
  user: 'user.events',
  session: 'user.events',
  ticket: 'ticket.events',
  notification: 'notification.events',
  webhook: 'notification.events',
};

/**
 * The exchange the event's publishing service sends it to. Takes any string
 * because events travel typed as `IntegrationEventBase` (eventType: string);
 * a type outside the catalogue is a programming error and throws.
 */
export function exchangeForEventType(eventType: EventType | (string & {})): Exchange {
  const domain = eventType.slice(0, eventType.indexOf('.'));
  if (!isEventType(eventType) || !hasOwn(EXCHANGE_BY_DOMAIN, domain)) {
    throw new Error(`no exchange for unknown event type ${JSON.stringify(eventType)}`);
  }
  return EXCHANGE_BY_DOMAIN[domain as DomainOf<EventType>];
}
