import { eventClassFor } from './catalogue';
import { copyEnvelope } from './copy-envelope';
import type { IntegrationEvent } from './envelope';
import { isPlainObject, type Schema } from './schema/schema';

export const REDACTED = '[redacted]';

function redact(schema: Schema<unknown>, value: unknown): unknown {
  if (schema.secret) return REDACTED;
  if (schema.fields && isPlainObject(value)) {
    const fields = schema.fields;
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [
        key,
        fields[key] ? redact(fields[key], field) : field,
      ]),
    );
  }
  if (schema.items && Array.isArray(value)) {
    const items = schema.items;
    return value.map((item) => redact(items, item));
  }
  return value;
}

/**
 * The envelope with every `secret` payload field replaced by `[redacted]`:
 * what the audit log stores, webhooks send and logs print. Only the consumer
 * that must act on a secret (notification-service mailing a reset link) reads
 * the event unredacted. Unknown types lose their whole payload: we cannot know
 * what is secret in them.
 */
export function redactSecrets<T extends IntegrationEvent>(event: T): IntegrationEvent {
  const eventClass = eventClassFor(event.eventType, event.version);
  const payload = eventClass ? redact(eventClass.payloadSchema, event.payload) : REDACTED;
  return copyEnvelope(event, payload);
}
