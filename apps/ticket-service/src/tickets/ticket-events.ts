import {
  TicketAssigned,
  TicketCommentAdded,
  TicketCreated,
  TicketStatusChanged,
  TicketUpdated,
  type TicketUpdatedPayload,
} from '@helpdesk/contracts';
import { raise } from '@helpdesk/messaging';
import type { CommentDraft, Ticket, TicketEditOutcome } from '../domain/ticket';

/**
 * The integration events a ticket change is told by, each carrying what its
 * consumers (notifications, audit, dashboards) need without a lookup.
 */
const sla = (ticket: Ticket) => ({
  firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
  resolutionDueAt: ticket.resolutionDueAt?.toISOString() ?? null,
});

const envelope = (ticket: Ticket) => ({
  tenantId: ticket.tenantId,
  aggregateId: ticket.id,
  aggregateVersion: ticket.version,
});

export function ticketCreated(ticket: Ticket) {
  return raise(TicketCreated, {
    ...envelope(ticket),
    payload: {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      description: ticket.description,
      status: ticket.status,
      priority: ticket.priority,
      tags: ticket.tags,
      requesterId: ticket.requesterId,
      assigneeId: ticket.assigneeId,
      departmentId: ticket.departmentId,
      sla: sla(ticket),
    },
  });
}

export function ticketEdited(ticket: Ticket, outcome: TicketEditOutcome) {
  const events = [];
  if (Object.keys(outcome.changes).length > 0)
    events.push(
      raise(TicketUpdated, {
        ...envelope(ticket),
        payload: {
          ticketId: ticket.id,
          number: ticket.number,
          changes: outcome.changes as TicketUpdatedPayload['changes'],
        },
      }),
    );
  if (outcome.statusChange)
    events.push(
      raise(TicketStatusChanged, {
        ...envelope(ticket),
        payload: {
          ticketId: ticket.id,
          number: ticket.number,
          title: ticket.title,
          from: outcome.statusChange.from,
          to: outcome.statusChange.to,
          requesterId: ticket.requesterId,
          assigneeId: ticket.assigneeId,
          resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
          closedAt: ticket.closedAt?.toISOString() ?? null,
        },
      }),
    );
  return events;
}

export function ticketAssigned(ticket: Ticket, previousAssigneeId: string | null) {
  return raise(TicketAssigned, {
    ...envelope(ticket),
    payload: {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      previousAssigneeId,
      assigneeId: ticket.assigneeId,
      requesterId: ticket.requesterId,
      priority: ticket.priority,
    },
  });
}

export function commentAdded(ticket: Ticket, comment: CommentDraft) {
  return raise(TicketCommentAdded, {
    ...envelope(ticket),
    payload: {
      ticketId: ticket.id,
      number: ticket.number,
      title: ticket.title,
      commentId: comment.id,
      authorId: comment.authorId,
      body: comment.body,
      internal: comment.internal,
      requesterId: ticket.requesterId,
      assigneeId: ticket.assigneeId,
      firstResponse: comment.firstResponse,
    },
  });
}
