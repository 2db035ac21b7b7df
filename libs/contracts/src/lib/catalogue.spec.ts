import {
  EVENT_TYPES,
  EXCHANGES,
  eventClassFor,
  exchangeForEventType,
  IntegrationEventBase,
  parseIntegrationEvent,
  TicketCreated,
  UserCreated,
} from '../index';
import { sampleEnvelope } from './test-support/samples';

// Written out by hand from DESIGN §4 (plus user.invited, see README): the code
// must agree with this table, not with itself.
const EXPECTED: ReadonlyArray<
  [eventType: string, version: number, aggregateType: string, exchange: string]
> = [
  ['organization.created', 1, 'organization', 'user.events'],
  ['organization.updated', 1, 'organization', 'user.events'],
  ['department.created', 1, 'department', 'user.events'],
  ['department.updated', 1, 'department', 'user.events'],
  ['department.deleted', 1, 'department', 'user.events'],
  ['user.created', 1, 'user', 'user.events'],
  ['user.invited', 1, 'user', 'user.events'],
  ['user.updated', 1, 'user', 'user.events'],
  ['user.role_changed', 1, 'user', 'user.events'],
  ['user.deleted', 1, 'user', 'user.events'],
  ['user.password_reset_requested', 1, 'user', 'user.events'],
  ['user.login_succeeded', 1, 'user', 'user.events'],
  ['user.login_failed', 1, 'user', 'user.events'],
  ['session.revoked', 1, 'session', 'user.events'],
  ['ticket.created', 1, 'ticket', 'ticket.events'],
  ['ticket.updated', 1, 'ticket', 'ticket.events'],
  ['ticket.status_changed', 1, 'ticket', 'ticket.events'],
  ['ticket.assigned', 1, 'ticket', 'ticket.events'],
  ['ticket.deleted', 1, 'ticket', 'ticket.events'],
  ['ticket.comment_added', 1, 'ticket', 'ticket.events'],
  ['ticket.sla_breached', 1, 'ticket', 'ticket.events'],
  ['notification.email_sent', 1, 'email', 'notification.events'],
  ['notification.email_failed', 1, 'email', 'notification.events'],
  ['webhook.delivery_failed', 1, 'webhook', 'notification.events'],
];

describe('the event catalogue', () => {
  it('holds exactly the expected event types, once each', () => {
    expect([...EVENT_TYPES].sort()).toEqual(EXPECTED.map(([type]) => type).sort());
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });

  it.each(EXPECTED)(
    '%s: class statics say v%i of aggregate %s',
    (eventType, version, aggregateType) => {
      const eventClass = eventClassFor(eventType);
      expect(eventClass).toBeDefined();
      expect(eventClass?.eventType).toBe(eventType);
      expect(eventClass?.version).toBe(version);
      expect(eventClass?.aggregateType).toBe(aggregateType);
      expect(eventClass?.prototype).toBeInstanceOf(IntegrationEventBase);
    },
  );

  it.each(EXPECTED)('%s is published to %4$s', (eventType, _version, _aggregate, exchange) => {
    expect(exchangeForEventType(eventType)).toBe(exchange);
    expect(EXCHANGES).toContain(exchange);
  });

  it('uses every exchange it lists', () => {
    expect(new Set(EVENT_TYPES.map((type) => exchangeForEventType(type)))).toEqual(
      new Set(EXCHANGES),
    );
  });

  it('refuses to route an event type it does not know', () => {
    expect(() => exchangeForEventType('ticket.exploded')).toThrow(
      'no exchange for unknown event type "ticket.exploded"',
    );
    expect(() => exchangeForEventType('toString')).toThrow('unknown event type');
  });

  it('finds a class by type and version, and nothing for unknown ones', () => {
    expect(eventClassFor('ticket.created')).toBe(TicketCreated);
    expect(eventClassFor('ticket.created', 1)).toBe(TicketCreated);
    expect(eventClassFor('ticket.created', 2)).toBeUndefined();
    expect(eventClassFor('ticket.exploded')).toBeUndefined();
    expect(eventClassFor('__proto__')).toBeUndefined();
  });

  it.each(EXPECTED.map(([type]) => type))(
    '%s round-trips through JSON into its class',
    (eventType) => {
      const envelope = sampleEnvelope(eventType as (typeof EVENT_TYPES)[number]);
      const result = parseIntegrationEvent(JSON.stringify(envelope));
      if (!result.ok) throw new Error(result.reason);
      expect(result.event).toBeInstanceOf(
        eventClassFor(eventType) as NonNullable<ReturnType<typeof eventClassFor>>,
      );
      expect(result.event.toEnvelope()).toEqual(envelope);
      expect(Object.isFrozen(result.event)).toBe(true);
    },
  );

  it('builds events that serialize to what they were built from', () => {
    const envelope = sampleEnvelope('user.created');
    const event = new UserCreated(envelope);
    expect(JSON.parse(JSON.stringify(event.toEnvelope()))).toEqual(envelope);
    expect(UserCreated.eventType).toBe('user.created');
  });
});
