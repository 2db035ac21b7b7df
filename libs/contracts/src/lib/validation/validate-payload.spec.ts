import { validateEnvelope, validatePayload } from '../../index';
import { mutableCopy, sampleEnvelope, SAMPLE_PAYLOADS } from '../test-support/samples';

function ticketCreatedWith(
  mutate: (payload: Record<string, unknown>) => void,
): Record<string, unknown> {
  const payload = mutableCopy(SAMPLE_PAYLOADS['ticket.created']);
  mutate(payload);
  return payload;
}

function reasonFor(eventType: string, version: number, payload: unknown): string {
  const result = validatePayload(eventType, version, payload);
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
}

describe('validatePayload', () => {
  it('accepts every sample payload', () => {
    for (const [eventType, payload] of Object.entries(SAMPLE_PAYLOADS)) {
      expect([eventType, validatePayload(eventType, 1, payload)]).toEqual([
        eventType,
        { ok: true },
      ]);
    }
  });

  it.each([
    [
      'a missing field',
      (p: Record<string, unknown>) => delete p['title'],
      'payload.title: is required',
    ],
    [
      'a wrong type',
      (p: Record<string, unknown>) => (p['number'] = '1'),
      'payload.number: expected an integer, got string',
    ],
    [
      'an unknown field',
      (p: Record<string, unknown>) => (p['subject'] = 'x'),
      'payload: unknown field "subject"',
    ],
    [
      'a value outside the enum',
      (p: Record<string, unknown>) => (p['priority'] = 'critical'),
      'payload.priority: expected one of low, normal, high, urgent',
    ],
    [
      'a status of another vocabulary',
      (p: Record<string, unknown>) => (p['status'] = 'solved'),
      'payload.status: expected one of open, in_progress, pending, resolved, closed',
    ],
    [
      'null where not nullable',
      (p: Record<string, unknown>) => (p['requesterId'] = null),
      'payload.requesterId: expected a string, got null',
    ],
    [
      'a bad nullable value',
      (p: Record<string, unknown>) => (p['assigneeId'] = 'nobody'),
      'payload.assigneeId: expected a uuid',
    ],
    [
      'a title over 200 characters',
      (p: Record<string, unknown>) => (p['title'] = 'x'.repeat(201)),
      'payload.title: expected at most 200 characters, got 201',
    ],
    [
      'an empty title',
      (p: Record<string, unknown>) => (p['title'] = ''),
      'payload.title: must not be empty',
    ],
    [
      'a bad array element',
      (p: Record<string, unknown>) => (p['tags'] = ['ok', 7]),
      'payload.tags[1]: expected a string, got number',
    ],
    [
      'too many tags',
      (p: Record<string, unknown>) => (p['tags'] = Array.from({ length: 51 }, (_, i) => `t${i}`)),
      'payload.tags: expected at most 50 elements, got 51',
    ],
    [
      'a bad nested field',
      (p: Record<string, unknown>) =>
        (p['sla'] = { firstResponseDueAt: 'tomorrow', resolutionDueAt: null }),
      'payload.sla.firstResponseDueAt: expected an ISO-8601 UTC timestamp like 2026-01-31T09:00:00.000Z',
    ],
    [
      'a missing nested field',
      (p: Record<string, unknown>) => (p['sla'] = { firstResponseDueAt: null }),
      'payload.sla.resolutionDueAt: is required',
    ],
    [
      'a __proto__ key',
      (p: Record<string, unknown>) =>
        Object.defineProperty(p, '__proto__', { value: { admin: true }, enumerable: true }),
      'payload: unknown field "__proto__"',
    ],
  ])('refuses %s', (_name, mutate, reason) => {
    expect(reasonFor('ticket.created', 1, ticketCreatedWith(mutate))).toBe(reason);
  });

  it('accepts nullable fields as null and as values', () => {
    expect(
      validatePayload(
        'ticket.created',
        1,
        ticketCreatedWith((p) => (p['departmentId'] = null)),
      ).ok,
    ).toBe(true);
    expect(
      validatePayload(
        'ticket.created',
        1,
        ticketCreatedWith((p) => (p['assigneeId'] = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b')),
      ).ok,
    ).toBe(true);
  });

  it('lets `changes` name any subset of fields but not none, nor unknown ones', () => {
    const ticketId = SAMPLE_PAYLOADS['ticket.updated'].ticketId;
    const two = {
      ticketId,
      number: 1,
      changes: { tags: { from: [], to: ['a'] }, departmentId: { from: null, to: null } },
    };
    expect(validatePayload('ticket.updated', 1, two)).toEqual({ ok: true });
    expect(reasonFor('ticket.updated', 1, { ticketId, number: 1, changes: {} })).toBe(
      'payload.changes: must not be empty',
    );
    expect(
      reasonFor('ticket.updated', 1, {
        ticketId,
        number: 1,
        changes: { status: { from: 'open', to: 'closed' } },
      }),
    ).toBe('payload.changes: unknown field "status"');
    expect(
      reasonFor('ticket.updated', 1, { ticketId, number: 1, changes: { title: { to: 'x' } } }),
    ).toBe('payload.changes.title.from: is required');
  });

  it('refuses unknown types and versions with the versions it knows', () => {
    expect(reasonFor('ticket.exploded', 1, {})).toBe(
      'eventType: unknown event type "ticket.exploded"',
    );
    expect(reasonFor('ticket.created', 2, SAMPLE_PAYLOADS['ticket.created'])).toBe(
      'unsupported version 2 of ticket.created (known: 1)',
    );
  });

  it('refuses a payload that is not an object', () => {
    expect(reasonFor('user.deleted', 1, [])).toBe('payload: expected an object, got array');
    expect(reasonFor('user.deleted', 1, 'x')).toBe('payload: expected an object, got string');
  });

  it('checks each event type against its own schema', () => {
    const email = mutableCopy(SAMPLE_PAYLOADS['user.created']);
    email['email'] = 'not an address';
    expect(reasonFor('user.created', 1, email)).toBe('payload.email: expected an e-mail address');
    const role = mutableCopy(SAMPLE_PAYLOADS['user.role_changed']);
    role['role'] = 'owner';
    expect(reasonFor('user.role_changed', 1, role)).toBe(
      'payload.role: expected one of requester, agent, manager, admin',
    );
    const status = mutableCopy(SAMPLE_PAYLOADS['webhook.delivery_failed']);
    status['responseStatus'] = 99;
    expect(reasonFor('webhook.delivery_failed', 1, status)).toBe(
      'payload.responseStatus: expected an integer >= 100, got 99',
    );
    const hours = mutableCopy(SAMPLE_PAYLOADS['organization.created']);
    hours['businessHours'] = { weekdays: [1], start: '24:00', end: '17:00' };
    expect(reasonFor('organization.created', 1, hours)).toBe(
      'payload.businessHours.start: expected a time HH:MM',
    );
  });

  it('is the check validateEnvelope applies to the payload', () => {
    const envelope = mutableCopy(sampleEnvelope('ticket.created'));
    envelope['payload'] = ticketCreatedWith((p) => (p['priority'] = 'critical'));
    expect(validateEnvelope(envelope)).toEqual({
      ok: false,
      reason: 'payload.priority: expected one of low, normal, high, urgent',
    });
  });
});
