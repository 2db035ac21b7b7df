import { randomUUID } from 'node:crypto';
import { parseIntegrationEvent, type IntegrationEventBase } from '@helpdesk/contracts';
import { envelope, INVITE_TOKEN, RESET_TOKEN, sampleEvents } from '../test/events';
import { actionOf, entryFromEvent } from './audit-entry';

/** What the consumer hands the sink: the event as parsed off the bus. */
function received(plain: object): IntegrationEventBase {
  const parsed = parseIntegrationEvent(JSON.stringify(plain));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
}

describe('entryFromEvent (one audit entry per integration event)', () => {
  const tenantId = randomUUID();
  const actorId = randomUUID();
  const events = sampleEvents(tenantId, actorId);

  it('maps the envelope: entity = aggregate, action = after the dot, actor and correlation from metadata', () => {
    const entry = entryFromEvent(received(envelope(events.created)));
    expect(entry).toMatchObject({
      tenantId,
      eventId: events.created.eventId,
      eventType: 'ticket.created',
      entityType: 'ticket',
      entityId: events.ticketId,
      aggregateVersion: 1,
      actorId,
      actorType: 'user',
      action: 'created',
      changes: null,
      ip: null,
      userAgent: null,
      correlationId: events.created.metadata.correlationId,
      occurredAt: events.created.timestamp,
    });
    expect(entry.payload).toEqual(events.created.payload);
    expect(actionOf('ticket.comment_added')).toBe('comment_added');
    expect(actionOf('notification.email_sent')).toBe('email_sent');
  });

  it('records changes as { field: { from, to } } for updated, status_changed, assigned, role_changed', () => {
    expect(entryFromEvent(received(envelope(events.updated))).changes).toEqual({
      title: { from: 'Printer on fire', to: 'Printer still on fire' },
      priority: { from: 'normal', to: 'urgent' },
    });
    expect(entryFromEvent(received(envelope(events.statusChanged))).changes).toEqual({
      status: { from: 'open', to: 'in_progress' },
    });
    expect(entryFromEvent(received(envelope(events.assigned))).changes).toEqual({
      assigneeId: { from: null, to: events.assigneeId },
    });
    expect(entryFromEvent(received(envelope(events.roleChanged))).changes).toEqual({
      role: { from: 'agent', to: 'manager' },
    });
    expect(entryFromEvent(received(envelope(events.emailSent))).changes).toBeNull();
  });

  it('never keeps a one-time token', () => {
    for (const raised of [events.resetRequested, events.invited]) {
      const entry = entryFromEvent(received(envelope(raised)));
      const stored = JSON.stringify(entry);
      expect(stored).not.toContain(RESET_TOKEN);
      expect(stored).not.toContain(INVITE_TOKEN);
      expect((entry.payload as { token: string }).token).toBe('[redacted]');
      expect((entry.payload as { email: string }).email).toBe('ada@example.test');
    }
  });

  it('keeps the e-mail as the entity of a failed login for an unknown address, and its client from the payload', () => {
    const entry = entryFromEvent(received(envelope(events.loginFailed)));
    expect(entry).toMatchObject({
      entityType: 'user',
      entityId: 'nobody@example.test',
      action: 'login_failed',
      actorId: null,
      actorType: 'system',
      ip: '203.0.113.9',
      userAgent: 'curl/8.0',
    });
  });

  it('takes ip and user agent from the metadata when the envelope has them, whatever the event', () => {
    const withClient = envelope(events.updated, {
      metadata: { ip: '192.0.2.1', userAgent: 'Mozilla/5.0' },
    });
    expect(entryFromEvent(received(withClient))).toMatchObject({
      ip: '192.0.2.1',
      userAgent: 'Mozilla/5.0',
    });
    // Metadata wins over the payload; null metadata falls back to it.
    const login = envelope(events.loginSucceeded, {
      metadata: { ip: '192.0.2.2', userAgent: null },
    });
    expect(entryFromEvent(received(login))).toMatchObject({
      ip: '192.0.2.2',
      userAgent: 'Firefox',
    });
    // Payload fields of other events are not read as the client.
    expect(entryFromEvent(received(envelope(events.emailSent)))).toMatchObject({
      ip: null,
      userAgent: null,
    });
  });
});
