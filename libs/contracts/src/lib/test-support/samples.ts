import type { EventPayload, EventType } from '../catalogue';
import { eventClassFor } from '../catalogue';
import type { IntegrationEvent } from '../envelope';

/** Test data only: one valid payload per event type (the mapped type makes a missing one a compile error). */

const ticketId = '0b6f0c8e-6a2f-4a53-9f4c-2f1d1c7b9a01';
const userId = '5d7a1f3e-2c4b-4e8a-9b6d-1a2b3c4d5e6f';
const agentId = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
const organizationId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const departmentId = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
const sessionId = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const emailId = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d';
const due = '2026-01-31T09:00:00.000Z';

export const SAMPLE_PAYLOADS: { [T in EventType]: EventPayload<T> } = {
  'organization.created': {
    organizationId,
    name: 'Acme',
    slug: 'acme',
    allowSelfRegistration: true,
    businessHours: { weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    timezone: 'Europe/Berlin',
  },
  'organization.updated': { organizationId, changes: { name: { from: 'Acme', to: 'Acme Inc.' } } },
  'department.created': { departmentId, name: 'Support', description: null },
  'department.updated': {
    departmentId,
    changes: { description: { from: null, to: 'First line' } },
  },
  'department.deleted': { departmentId },
  'user.created': {
    userId,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    role: 'agent',
    departmentId,
    active: true,
    source: 'invitation',
  },
  'user.invited': {
    userId,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    invitationId: sessionId,
    token: 'q3T0k3n-0nly_for-the-mail.1234',
    expiresAt: due,
  },
  'user.updated': { userId, changes: { departmentId: { from: null, to: departmentId } } },
  'user.role_changed': { userId, previousRole: 'agent', role: 'manager' },
  'user.deleted': { userId },
  'user.password_reset_requested': {
    userId,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    resetRequestId: sessionId,
    token: 'r3s3t-t0k3n_0nly-for.the-mail',
    expiresAt: due,
  },
  'user.login_succeeded': { userId, sessionId, ip: '203.0.113.7', userAgent: 'curl/8.0' },
  'user.login_failed': {
    userId: null,
    email: 'nobody@example.com',
    reason: 'unknown_user',
    ip: '203.0.113.7',
    userAgent: null,
  },
  'session.revoked': { sessionId, userId, reason: 'logout' },
  'ticket.created': {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    description: 'Smoke everywhere.',
    status: 'open',
    priority: 'urgent',
    tags: ['hardware'],
    requesterId: userId,
    assigneeId: null,
    departmentId: null,
    sla: { firstResponseDueAt: due, resolutionDueAt: null },
  },
  'ticket.updated': { ticketId, number: 1, changes: { priority: { from: 'normal', to: 'high' } } },
  'ticket.status_changed': {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    from: 'open',
    to: 'resolved',
    requesterId: userId,
    assigneeId: agentId,
    resolvedAt: due,
    closedAt: null,
  },
  'ticket.assigned': {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    previousAssigneeId: null,
    assigneeId: agentId,
    requesterId: userId,
    priority: 'urgent',
  },
  'ticket.deleted': { ticketId, number: 1 },
  'ticket.comment_added': {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    commentId: sessionId,
    authorId: agentId,
    body: 'On my way with an extinguisher.',
    internal: false,
    requesterId: userId,
    assigneeId: agentId,
    firstResponse: true,
  },
  'ticket.sla_breached': {
    ticketId,
    number: 1,
    title: 'Printer on fire',
    target: 'first_response',
    dueAt: due,
    priority: 'urgent',
    requesterId: userId,
    assigneeId: null,
    departmentId,
  },
  'notification.email_sent': {
    emailId,
    to: 'ada@example.com',
    template: 'ticket.assigned',
    subject: '[#1] Printer on fire',
    attempts: 1,
    sourceEventId: sessionId,
  },
  'notification.email_failed': {
    emailId,
    to: 'ada@example.com',
    template: 'password-reset',
    attempts: 2,
    error: '421 try again later',
    nextAttemptAt: due,
    sourceEventId: null,
  },
  'webhook.delivery_failed': {
    webhookId: emailId,
    deliveryId: sessionId,
    eventId: ticketId,
    eventType: 'ticket.created',
    attempts: 5,
    responseStatus: 500,
    error: 'HTTP 500',
    nextAttemptAt: null,
  },
};

/** A valid plain envelope of `eventType` (newest version) with its sample payload. */
export function sampleEnvelope<T extends EventType>(
  eventType: T,
): IntegrationEvent<T, EventPayload<T>> {
  const eventClass = eventClassFor(eventType);
  if (!eventClass) throw new Error(`no class for ${eventType}`);
  return {
    eventId: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f',
    eventType,
    version: eventClass.version,
    aggregateType: eventClass.aggregateType,
    aggregateId: ticketId,
    aggregateVersion: 3,
    tenantId: organizationId,
    timestamp: '2026-01-30T08:15:42.123Z',
    // TypeScript cannot relate a mapped type indexed by a generic key back to EventPayload<T>.
    payload: SAMPLE_PAYLOADS[eventType] as unknown as EventPayload<T>,
    metadata: { correlationId: 'req-42', causationId: null, actorId: userId, actorType: 'user' },
  };
}

/** A deep copy, as a JSON-parsed value, to mutate in a test. */
export function mutableCopy(value: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}
