import { copyEnvelope } from '../copy-envelope';
import type { IntegrationEvent, IntegrationEventBase, ParseResult } from '../envelope';
import {
  describe,
  integer,
  isPlainObject,
  isoTimestamp,
  nullable,
  object,
  oneOf,
  optional,
  string,
  unchecked,
  uuid,
} from '../schema/schema';
import { resolveEventClass } from './validate-payload';

/** DESIGN §4, field by field; the payload is checked afterwards against its type's schema. */
const envelopeSchema = object({
  eventId: uuid(),
  eventType: string({ max: 100 }),
  version: integer({ min: 1 }),
  aggregateType: string({ max: 100 }),
  aggregateId: string({ max: 200 }),
  aggregateVersion: integer({ min: 1 }),
  tenantId: uuid(),
  timestamp: isoTimestamp(),
  payload: unchecked(),
  metadata: object({
    correlationId: string({ max: 200 }),
    causationId: nullable(string({ min: 0, max: 200 })),
    actorId: nullable(string({ min: 0, max: 200 })),
    actorType: oneOf(['user', 'service', 'system'] as const),
    ip: optional(nullable(string({ min: 0, max: 64 }))),
    userAgent: optional(nullable(string({ min: 0, max: 512 }))),
  }),
});

/**
 * Accepts an already-parsed value only if it is a complete, known event of a
 * supported version; returns an instance of its catalogue class. Never throws.
 */
export function validateEnvelope(value: unknown): ParseResult<IntegrationEventBase> {
  try {
    if (!isPlainObject(value))
      return { ok: false, reason: `expected a JSON object, got ${describe(value)}` };
    const envelopeReason = envelopeSchema.check(value, '');
    if (envelopeReason) return { ok: false, reason: envelopeReason };
    const envelope = value as unknown as IntegrationEvent;

    const resolved = resolveEventClass(envelope.eventType, envelope.version);
    if (!resolved.ok) return resolved;
    const { eventClass } = resolved;
    if (envelope.aggregateType !== eventClass.aggregateType) {
      return {
        ok: false,
        reason: `aggregateType: expected ${eventClass.aggregateType} for ${envelope.eventType}`,
      };
    }
    const payloadReason = eventClass.payloadSchema.check(envelope.payload, 'payload');
    if (payloadReason) return { ok: false, reason: payloadReason };

    // A fresh envelope of exactly the checked fields: nothing else rides along on the instance.
    return { ok: true, event: new eventClass(copyEnvelope(envelope, envelope.payload)) };
  } catch {
    // Only reachable with exotic inputs (a Proxy or throwing getter), never with parsed JSON.
    return { ok: false, reason: 'event could not be inspected' };
  }
}
