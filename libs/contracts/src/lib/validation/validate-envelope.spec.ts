import { TicketCreated, validateEnvelope } from '../../index';
import { mutableCopy, sampleEnvelope } from '../test-support/samples';

/** A valid ticket.created with one change applied, as a JSON-parsed value. */
function envelopeWith(
  mutate: (envelope: Record<string, unknown>) => void,
): Record<string, unknown> {
  const envelope = mutableCopy(sampleEnvelope('ticket.created'));
  mutate(envelope);
  return envelope;
}

function reasonFor(value: unknown): string {
  const result = validateEnvelope(value);
  if (result.ok) throw new Error('expected a refusal, got an event');
  return result.reason;
}

const set = (field: string, value: unknown) => (envelope: Record<string, unknown>) => {
  envelope[field] = value;
};
const remove = (field: string) => (envelope: Record<string, unknown>) => {
  delete envelope[field];
};
const setMetadata = (field: string, value: unknown) => (envelope: Record<string, unknown>) => {
  (envelope['metadata'] as Record<string, unknown>)[field] = value;
};

describe('validateEnvelope', () => {
  it('keeps the client address and user agent of the causing request, which may be absent or null', () => {
    const withClient = validateEnvelope(
      envelopeWith((envelope) => {
        setMetadata('ip', '203.0.113.7')(envelope);
        setMetadata('userAgent', 'Mozilla/5.0')(envelope);
      }),
    );
    expect(withClient.ok && withClient.event.metadata).toMatchObject({
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    });
    const withNulls = validateEnvelope(envelopeWith(setMetadata('ip', null)));
    expect(withNulls.ok && withNulls.event.metadata.ip).toBeNull();
    const without = validateEnvelope(envelopeWith(() => undefined));
    expect(without.ok && 'ip' in without.event.metadata).toBe(false);
  });

  it('accepts a valid envelope as an instance of its class', () => {
    const result = validateEnvelope(mutableCopy(sampleEnvelope('ticket.created')));
    expect(result.ok && result.event).toBeInstanceOf(TicketCreated);
  });

  it.each([
    ['not an object', null, 'expected a JSON object, got null'],
    ['an array', [], 'expected a JSON object, got array'],
    ['a string', 'ticket.created', 'expected a JSON object, got string'],
  ])('refuses %s', (_name, value, reason) => {
    expect(reasonFor(value)).toBe(reason);
  });

  it.each([
    ['eventId missing', remove('eventId'), 'eventId: is required'],
    ['eventId not a uuid', set('eventId', 'not-a-uuid'), 'eventId: expected a uuid'],
    ['eventId a number', set('eventId', 42), 'eventId: expected a string, got number'],
    [
      'eventType unknown',
      set('eventType', 'ticket.exploded'),
      'eventType: unknown event type "ticket.exploded"',
    ],
    ['eventType empty', set('eventType', ''), 'eventType: must not be empty'],
    ['version newer', set('version', 3), 'unsupported version 3 of ticket.created (known: 1)'],
    ['version fractional', set('version', 1.5), 'version: expected an integer, got number'],
    ['version a string', set('version', '1'), 'version: expected an integer, got string'],
    ['version zero', set('version', 0), 'version: expected an integer >= 1, got 0'],
    [
      'aggregateType wrong',
      set('aggregateType', 'user'),
      'aggregateType: expected ticket for ticket.created',
    ],
    ['aggregateId empty', set('aggregateId', ''), 'aggregateId: must not be empty'],
    [
      'aggregateId too long',
      set('aggregateId', 'x'.repeat(201)),
      'aggregateId: expected at most 200 characters, got 201',
    ],
    [
      'aggregateVersion zero',
      set('aggregateVersion', 0),
      'aggregateVersion: expected an integer >= 1, got 0',
    ],
    [
      'aggregateVersion negative',
      set('aggregateVersion', -1),
      'aggregateVersion: expected an integer >= 1, got -1',
    ],
    [
      'aggregateVersion unsafe',
      set('aggregateVersion', 2 ** 60),
      'aggregateVersion: expected an integer, got number',
    ],
    ['tenantId not a uuid', set('tenantId', 'acme'), 'tenantId: expected a uuid'],
    [
      'timestamp with an offset',
      set('timestamp', '2026-01-30T08:15:42+01:00'),
      'timestamp: expected an ISO-8601 UTC timestamp like 2026-01-31T09:00:00.000Z',
    ],
    [
      'timestamp impossible',
      set('timestamp', '2026-02-30T08:15:42Z'),
      'timestamp: expected an ISO-8601 UTC timestamp like 2026-01-31T09:00:00.000Z',
    ],
    [
      'timestamp a date only',
      set('timestamp', '2026-01-30'),
      'timestamp: expected an ISO-8601 UTC timestamp like 2026-01-31T09:00:00.000Z',
    ],
    [
      'timestamp epoch millis',
      set('timestamp', 1769760942123),
      'timestamp: expected a string, got number',
    ],
    ['payload missing', remove('payload'), 'payload: is required'],
    ['payload null', set('payload', null), 'payload: expected an object, got null'],
    ['metadata missing', remove('metadata'), 'metadata: is required'],
    ['metadata an array', set('metadata', []), 'metadata: expected an object, got array'],
    [
      'correlationId empty',
      setMetadata('correlationId', ''),
      'metadata.correlationId: must not be empty',
    ],
    [
      'correlationId null',
      setMetadata('correlationId', null),
      'metadata.correlationId: expected a string, got null',
    ],
    [
      'causationId a number',
      setMetadata('causationId', 7),
      'metadata.causationId: expected a string, got number',
    ],
    [
      'actorId missing',
      (e: Record<string, unknown>) => delete (e['metadata'] as Record<string, unknown>)['actorId'],
      'metadata.actorId: is required',
    ],
    [
      'actorType unknown',
      setMetadata('actorType', 'robot'),
      'metadata.actorType: expected one of user, service, system',
    ],
    ['unknown metadata field', setMetadata('traceId', 'x'), 'metadata: unknown field "traceId"'],
    [
      'metadata.ip not a string',
      setMetadata('ip', 7),
      'metadata.ip: expected a string, got number',
    ],
    [
      'metadata.userAgent too long',
      setMetadata('userAgent', 'x'.repeat(513)),
      'metadata.userAgent: expected at most 512 characters, got 513',
    ],
    ['unknown top-level field', set('extra', true), 'unknown field "extra"'],
  ])('refuses %s', (_name, mutate, reason) => {
    expect(reasonFor(envelopeWith(mutate))).toBe(reason);
  });

  it('accepts the nullable metadata fields as null and strings', () => {
    const withNulls = envelopeWith((e) => {
      setMetadata('actorId', null)(e);
      setMetadata('causationId', null)(e);
      setMetadata('actorType', 'system')(e);
    });
    expect(validateEnvelope(withNulls).ok).toBe(true);
    const withStrings = envelopeWith(
      setMetadata('causationId', 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f'),
    );
    expect(validateEnvelope(withStrings).ok).toBe(true);
  });

  it('accepts timestamps without fraction and with microseconds', () => {
    expect(validateEnvelope(envelopeWith(set('timestamp', '2026-01-30T08:15:42Z'))).ok).toBe(true);
    expect(validateEnvelope(envelopeWith(set('timestamp', '2024-02-29T23:59:59.123456Z'))).ok).toBe(
      true,
    );
  });

  it('keeps nothing but the envelope fields on the instance', () => {
    const result = validateEnvelope(mutableCopy(sampleEnvelope('ticket.created')));
    if (!result.ok) throw new Error(result.reason);
    expect(Object.keys(result.event).sort()).toEqual(
      [
        'aggregateId',
        'aggregateType',
        'aggregateVersion',
        'eventId',
        'eventType',
        'metadata',
        'payload',
        'tenantId',
        'timestamp',
        'version',
      ].sort(),
    );
  });

  it('refuses objects whose getters throw instead of throwing itself', () => {
    const hostile = Object.defineProperty(
      mutableCopy(sampleEnvelope('ticket.created')),
      'eventId',
      {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(validateEnvelope(hostile)).toEqual({
      ok: false,
      reason: 'event could not be inspected',
    });
  });
});
