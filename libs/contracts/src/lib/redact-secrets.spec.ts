import { parseIntegrationEvent, redactSecrets, REDACTED } from '../index';
import { sampleEnvelope } from './test-support/samples';

describe('redactSecrets', () => {
  it('hides the one-time tokens and keeps everything else', () => {
    for (const eventType of ['user.password_reset_requested', 'user.invited'] as const) {
      const envelope = sampleEnvelope(eventType);
      const redacted = redactSecrets(envelope);
      expect(redacted).toEqual({ ...envelope, payload: { ...envelope.payload, token: REDACTED } });
      expect(JSON.stringify(redacted)).not.toContain(envelope.payload.token);
    }
  });

  it('works on parsed instances and leaves them untouched', () => {
    const envelope = sampleEnvelope('user.password_reset_requested');
    const result = parseIntegrationEvent(JSON.stringify(envelope));
    if (!result.ok) throw new Error(result.reason);
    expect((redactSecrets(result.event).payload as { token: string }).token).toBe(REDACTED);
    expect((result.event.payload as { token: string }).token).toBe(envelope.payload.token);
  });

  it('changes nothing in events without secrets', () => {
    const envelope = sampleEnvelope('ticket.created');
    expect(redactSecrets(envelope)).toEqual(envelope);
  });

  it('drops the whole payload of an event it does not know', () => {
    const envelope = { ...sampleEnvelope('ticket.created'), eventType: 'ticket.exploded' };
    expect(redactSecrets(envelope).payload).toBe(REDACTED);
  });
});
