import { defineEvent } from '../define-event';
import {
  boolean,
  integer,
  isoTimestamp,
  nullable,
  object,
  oneOf,
  string,
  uuid,
  type Infer,
} from '../schema/schema';
import {
  change,
  changes,
  ticketDescription,
  ticketPriority,
  ticketStatus,
  ticketTags,
  ticketTitle,
} from './common.schemas';

/**
 * Published by ticket-service on `ticket.events`; aggregateType `ticket`,
 * aggregateId the ticket id. Every payload repeats `ticketId` and `number` so
 * a consumer (notification e-mails, audit, dashboards) needs no lookup to name
 * the ticket; those that mail someone also carry title, requester and assignee.
 */

const ticketNumber = () => integer({ min: 1 });
/** Due times of the ticket's SLA policy; null when no policy applies. */
const ticketSla = () =>
  object({
    firstResponseDueAt: nullable(isoTimestamp()),
    resolutionDueAt: nullable(isoTimestamp()),
  });

const ticketCreatedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  title: ticketTitle(),
  description: ticketDescription(),
  status: ticketStatus(),
  priority: ticketPriority(),
  tags: ticketTags(),
  requesterId: uuid(),
  assigneeId: nullable(uuid()),
  departmentId: nullable(uuid()),
  sla: ticketSla(),
});
export type TicketCreatedPayload = Infer<typeof ticketCreatedPayload>;
export class TicketCreated extends defineEvent({
  eventType: 'ticket.created',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketCreatedPayload,
}) {}

/** Field edits; status and assignee have their own events. Each change carries both values. */
const ticketUpdatedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  changes: changes({
    title: change(ticketTitle()),
    description: change(ticketDescription()),
    priority: change(ticketPriority()),
    tags: change(ticketTags()),
    departmentId: change(nullable(uuid())),
    sla: change(ticketSla()),
  }),
});
export type TicketUpdatedPayload = Infer<typeof ticketUpdatedPayload>;
export class TicketUpdated extends defineEvent({
  eventType: 'ticket.updated',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketUpdatedPayload,
}) {}

const ticketStatusChangedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  title: ticketTitle(),
  from: ticketStatus(),
  to: ticketStatus(),
  requesterId: uuid(),
  assigneeId: nullable(uuid()),
  resolvedAt: nullable(isoTimestamp()),
  closedAt: nullable(isoTimestamp()),
});
export type TicketStatusChangedPayload = Infer<typeof ticketStatusChangedPayload>;
export class TicketStatusChanged extends defineEvent({
  eventType: 'ticket.status_changed',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketStatusChangedPayload,
}) {}

/** Assignment and un-assignment (`assigneeId` null). */
const ticketAssignedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  title: ticketTitle(),
  previousAssigneeId: nullable(uuid()),
  assigneeId: nullable(uuid()),
  requesterId: uuid(),
  priority: ticketPriority(),
});
export type TicketAssignedPayload = Infer<typeof ticketAssignedPayload>;
export class TicketAssigned extends defineEvent({
  eventType: 'ticket.assigned',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketAssignedPayload,
}) {}

const ticketDeletedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
});
export type TicketDeletedPayload = Infer<typeof ticketDeletedPayload>;
export class TicketDeleted extends defineEvent({
  eventType: 'ticket.deleted',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketDeletedPayload,
}) {}

/**
 * A comment is part of the ticket aggregate (aggregateId = ticket id), so its
 * events are ordered with the ticket's. `internal` comments must never reach
 * the requester: consumers check it before notifying.
 */
const ticketCommentAddedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  title: ticketTitle(),
  commentId: uuid(),
  authorId: uuid(),
  body: string({ max: 20000 }),
  internal: boolean(),
  requesterId: uuid(),
  assigneeId: nullable(uuid()),
  /** This comment set the ticket's `firstResponseAt` (an agent's first public comment). */
  firstResponse: boolean(),
});
export type TicketCommentAddedPayload = Infer<typeof ticketCommentAddedPayload>;
export class TicketCommentAdded extends defineEvent({
  eventType: 'ticket.comment_added',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketCommentAddedPayload,
}) {}

const ticketSlaBreachedPayload = object({
  ticketId: uuid(),
  number: ticketNumber(),
  title: ticketTitle(),
  target: oneOf(['first_response', 'resolution'] as const),
  dueAt: isoTimestamp(),
  priority: ticketPriority(),
  requesterId: uuid(),
  assigneeId: nullable(uuid()),
  departmentId: nullable(uuid()),
});
export type TicketSlaBreachedPayload = Infer<typeof ticketSlaBreachedPayload>;
export class TicketSlaBreached extends defineEvent({
  eventType: 'ticket.sla_breached',
  version: 1,
  aggregateType: 'ticket',
  payload: ticketSlaBreachedPayload,
}) {}
