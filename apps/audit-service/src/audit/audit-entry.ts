import { randomUUID } from 'node:crypto';
import {
  redactSecrets,
  type ActorType,
  type IntegrationEvent,
  type IntegrationEventBase,
} from '@helpdesk/contracts';

/** `{ field: { from, to } }`: what an entry says changed. */
export type Changes = Record<string, { from: unknown; to: unknown }>;

/** One row of the audit log, as stored (append-only). */
export interface AuditEntry {
  id: string;
  tenantId: string;
  eventId: string;
  eventType: string;
  entityType: string;
  entityId: string;
  /** The aggregate's version, for ordering events of one entity at the same instant; null for logged entries. */
  aggregateVersion: number | null;
  actorId: string | null;
  actorType: ActorType;
  action: string;
  changes: Changes | null;
  /** The event's payload with its secrets redacted; null for logged entries. */
  payload: unknown;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  /** ISO-8601 UTC, as the event says (µs kept). */
  occurredAt: string;
}

type Payload = Record<string, unknown>;

const isObject = (value: unknown): value is Payload =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** `ticket.status_changed` → `status_changed` (the part after the first dot). */
export function actionOf(eventType: string): string {
  const dot = eventType.indexOf('.');
  return dot < 0 ? eventType : eventType.slice(dot + 1);
}

/**
 * The `changes` of an entry: `*.updated` events carry theirs; the events that
 * move one field (status, assignee, role) say it in `from`/`to` terms here.
 */
export function changesOf(eventType: string, payload: unknown): Changes | null {
  if (!isObject(payload)) return null;
  switch (eventType) {
    case 'ticket.status_changed':
      return { status: { from: payload['from'], to: payload['to'] } };
    case 'ticket.assigned':
      return { assigneeId: { from: payload['previousAssigneeId'], to: payload['assigneeId'] } };
    case 'user.role_changed':
      return { role: { from: payload['previousRole'], to: payload['role'] } };
    default:
      return isObject(payload['changes']) ? (payload['changes'] as Changes) : null;
  }
}

/**
 * The client's address and agent: from the envelope's metadata (optional
 * fields: older producers leave them out), else — for logins, whose payload
 * carries them — from the payload.
 */
function clientOf(event: IntegrationEvent): { ip: string | null; userAgent: string | null } {
  const metadata = event.metadata as { ip?: unknown; userAgent?: unknown };
  const payload =
    isObject(event.payload) && event.eventType.startsWith('user.login_') ? event.payload : {};
  return {
    ip: stringOrNull(metadata.ip) ?? stringOrNull(payload['ip']),
    userAgent: stringOrNull(metadata.userAgent) ?? stringOrNull(payload['userAgent']),
  };
}

/**
 * The entry an integration event makes. Secrets (the one-time tokens of
 * `user.invited` and `user.password_reset_requested`) are redacted first:
 * nothing of the clear token reaches the database.
 */
export function entryFromEvent(received: IntegrationEventBase): AuditEntry {
  const event = redactSecrets(received as IntegrationEvent);
  return {
    id: randomUUID(),
    tenantId: event.tenantId,
    eventId: event.eventId,
    eventType: event.eventType,
    // For `user.login_failed` of an unknown e-mail this is the e-mail as typed: kept as is.
    entityType: event.aggregateType,
    entityId: event.aggregateId,
    aggregateVersion: event.aggregateVersion,
    actorId: event.metadata.actorId,
    actorType: event.metadata.actorType,
    action: actionOf(event.eventType),
    changes: changesOf(event.eventType, event.payload),
    payload: event.payload,
    ...clientOf(event),
    correlationId: event.metadata.correlationId,
    occurredAt: event.timestamp,
  };
}
