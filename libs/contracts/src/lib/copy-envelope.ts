import type { IntegrationEvent } from './envelope';

/**
 * A fresh plain envelope with exactly the DESIGN §4 fields of `source`, so that
 * nothing else (extra properties, class prototypes) rides along, and with the
 * given payload.
 */
export function copyEnvelope<TType extends string, TPayload>(
  source: IntegrationEvent<TType, unknown>,
  payload: TPayload,
): IntegrationEvent<TType, TPayload> {
  const { metadata } = source;
  return {
    eventId: source.eventId,
    eventType: source.eventType,
    version: source.version,
    aggregateType: source.aggregateType,
    aggregateId: source.aggregateId,
    aggregateVersion: source.aggregateVersion,
    tenantId: source.tenantId,
    timestamp: source.timestamp,
    payload,
    metadata: {
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
      actorId: metadata.actorId,
      actorType: metadata.actorType,
      ...(metadata.ip !== undefined ? { ip: metadata.ip } : {}),
      ...(metadata.userAgent !== undefined ? { userAgent: metadata.userAgent } : {}),
    },
  };
}
