import { randomUUID } from 'node:crypto';
import {
  NotificationEmailSent,
  SessionRevoked,
  TicketAssigned,
  TicketCreated,
  TicketStatusChanged,
  TicketUpdated,
  UserInvited,
  UserLoginFailed,
  UserLoginSucceeded,
  UserPasswordResetRequested,
  UserRoleChanged,
  type IntegrationEventBase,
} from '@helpdesk/contracts';
import { raise } from '@helpdesk/messaging';
import type { TravellingEnvelope } from '@helpdesk/testing';

/** The envelope as it travels, with some fields replaced (e.g. `timestamp`, `metadata`). */
export function envelope(
  raised: IntegrationEventBase,
  changes: { timestamp?: string; metadata?: Record<string, unknown> } = {},
): TravellingEnvelope & Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(raised)) as TravellingEnvelope & Record<string, unknown>;
  return {
    ...plain,
    ...(changes.timestamp ? { timestamp: changes.timestamp } : {}),
    ...(changes.metadata
      ? { metadata: { ...(plain['metadata'] as object), ...changes.metadata } }
      : {}),
  };
}

export const RESET_TOKEN = 'r3s3t-t0k3n_only-for.the-mail-0123456789';
export const INVITE_TOKEN = 'inv1te-t0k3n_only-for.the-mail-0123456789';

const byUser = (actorId: string) => ({ actorId, actorType: 'user' as const });

/** One of each kind the audit log treats specially, for one organization and one ticket. */
export function sampleEvents(tenantId: string, actorId = randomUUID()) {
  const ticketId = randomUUID();
  const userId = randomUUID();
  const assigneeId = randomUUID();
  const requesterId = randomUUID();
  const ticket = { ticketId, number: 1, title: 'Printer on fire', requesterId };
  return {
    ticketId,
    userId,
    assigneeId,
    created: raise(TicketCreated, {
      tenantId,
      aggregateId: ticketId,
      aggregateVersion: 1,
      actor: byUser(actorId),
      payload: {
        ...ticket,
        description: 'It is really on fire.',
        status: 'open',
        priority: 'normal',
        tags: [],
        assigneeId: null,
        departmentId: null,
        sla: { firstResponseDueAt: null, resolutionDueAt: null },
      },
    }),
    updated: raise(TicketUpdated, {
      tenantId,
      aggregateId: ticketId,
      aggregateVersion: 2,
      actor: byUser(actorId),
      payload: {
        ticketId,
        number: 1,
        changes: {
          title: { from: 'Printer on fire', to: 'Printer still on fire' },
          priority: { from: 'normal', to: 'urgent' },
        },
      },
    }),
    statusChanged: raise(TicketStatusChanged, {
      tenantId,
      aggregateId: ticketId,
      aggregateVersion: 3,
      actor: byUser(actorId),
      payload: {
        ...ticket,
        from: 'open',
        to: 'in_progress',
        assigneeId: null,
        resolvedAt: null,
        closedAt: null,
      },
    }),
    assigned: raise(TicketAssigned, {
      tenantId,
      aggregateId: ticketId,
      aggregateVersion: 4,
      actor: byUser(actorId),
      payload: {
        ...ticket,
        previousAssigneeId: null,
        assigneeId,
        priority: 'urgent',
      },
    }),
    roleChanged: raise(UserRoleChanged, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 2,
      actor: byUser(actorId),
      payload: { userId, previousRole: 'agent', role: 'manager' },
    }),
    resetRequested: raise(UserPasswordResetRequested, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 3,
      actor: { actorId: null, actorType: 'system' },
      payload: {
        userId,
        email: 'ada@example.test',
        name: 'Ada',
        resetRequestId: randomUUID(),
        token: RESET_TOKEN,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
    invited: raise(UserInvited, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 1,
      actor: byUser(actorId),
      payload: {
        userId,
        email: 'ada@example.test',
        name: 'Ada',
        invitationId: randomUUID(),
        token: INVITE_TOKEN,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
    loginFailed: raise(UserLoginFailed, {
      tenantId,
      aggregateId: 'nobody@example.test',
      aggregateVersion: 1,
      actor: { actorId: null, actorType: 'system' },
      payload: {
        userId: null,
        email: 'nobody@example.test',
        reason: 'unknown_user',
        ip: '203.0.113.9',
        userAgent: 'curl/8.0',
      },
    }),
    loginSucceeded: raise(UserLoginSucceeded, {
      tenantId,
      aggregateId: userId,
      aggregateVersion: 4,
      actor: byUser(userId),
      payload: { userId, sessionId: randomUUID(), ip: '198.51.100.4', userAgent: 'Firefox' },
    }),
    emailSent: raise(NotificationEmailSent, {
      tenantId,
      aggregateId: randomUUID(),
      aggregateVersion: 1,
      actor: { actorId: 'notification-service', actorType: 'service' },
      payload: {
        emailId: randomUUID(),
        to: 'ada@example.test',
        template: 'ticket.assigned',
        subject: 'You were assigned #1',
        attempts: 1,
        sourceEventId: null,
      },
    }),
    sessionRevoked: raise(SessionRevoked, {
      tenantId,
      aggregateId: randomUUID(),
      aggregateVersion: 1,
      actor: byUser(userId),
      payload: { sessionId: randomUUID(), userId, reason: 'logout' },
    }),
  };
}
