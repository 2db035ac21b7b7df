import { eventClassFor, supportedVersions } from '../catalogue';
import type { CatalogueEventClass } from '../define-event';

export type PayloadCheck = { ok: true } | { ok: false; reason: string };

/**
 * The class that reads `eventType` at `version`, or why none does: unknown
 * type, or a version this build does not know (a newer producer: the consumer
 * refuses rather than misreads, and the message goes to the dead-letter queue).
 */
export function resolveEventClass(
  eventType: string,
  version: number,
): { ok: true; eventClass: CatalogueEventClass } | { ok: false; reason: string } {
  const known = supportedVersions(eventType);
  if (known.length === 0)
    return { ok: false, reason: `eventType: unknown event type ${JSON.stringify(eventType)}` };
  const eventClass = eventClassFor(eventType, version);
  if (!eventClass) {
    return {
      ok: false,
      reason: `unsupported version ${version} of ${eventType} (known: ${known.join(', ')})`,
    };
  }
  return { ok: true, eventClass };
}

/** Checks a payload against its type's schema, e.g. before a producer writes it to the outbox. */
export function validatePayload(
  eventType: string,
  version: number,
  payload: unknown,
): PayloadCheck {
  try {
    const resolved = resolveEventClass(eventType, version);
    if (!resolved.ok) return resolved;
    const reason = resolved.eventClass.payloadSchema.check(payload, 'payload');
    return reason === null ? { ok: true } : { ok: false, reason };
  } catch {
    // Only reachable with exotic inputs (a Proxy or throwing getter), never with parsed JSON.
    return { ok: false, reason: 'payload: could not be inspected' };
  }
}
