import { ApiProperty } from '@nestjs/swagger';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from '@helpdesk/contracts';
import type { Comment } from '../domain/comment';
import type { Ticket } from '../domain/ticket';

export class TicketSlaView {
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null while the clock is paused (pending) or without a target',
  })
  firstResponseDueAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolutionDueAt!: string | null;
  @ApiProperty() firstResponseBreached!: boolean;
  @ApiProperty() resolutionBreached!: boolean;
}

export class TicketView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ description: 'per organization, from 1, without gaps' }) number!: number;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: TicketStatus;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: TicketPriority;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ format: 'uuid' }) requesterId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assigneeId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) departmentId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) firstResponseAt!:
    string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: TicketSlaView }) sla!: TicketSlaView;
  @ApiProperty({ description: 'also the ETag; send it back in If-Match' }) version!: number;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * A breach shows as soon as the due time has passed, not only once the
 * sweeper has recorded it (and published ticket.sla_breached).
 */
function breached(flag: boolean, dueAt: Date | null, stopped: boolean, now: Date): boolean {
  return flag || (!stopped && dueAt !== null && dueAt.getTime() < now.getTime());
}

/** What a TicketView is made of: a ticket's columns without its SLA clock state. */
export type TicketShown = Pick<
  Ticket,
  | 'id'
  | 'tenantId'
  | 'number'
  | 'title'
  | 'description'
  | 'status'
  | 'priority'
  | 'tags'
  | 'requesterId'
  | 'assigneeId'
  | 'departmentId'
  | 'createdAt'
  | 'updatedAt'
  | 'firstResponseAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'firstResponseDueAt'
  | 'resolutionDueAt'
  | 'firstResponseBreached'
  | 'resolutionBreached'
  | 'version'
>;

export function toTicketView(ticket: TicketShown, now = new Date()): TicketView {
  const finished = ticket.status === 'resolved' || ticket.status === 'closed';
  return {
    id: ticket.id,
    organizationId: ticket.tenantId,
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    priority: ticket.priority,
    tags: ticket.tags,
    requesterId: ticket.requesterId,
    assigneeId: ticket.assigneeId,
    departmentId: ticket.departmentId,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    firstResponseAt: iso(ticket.firstResponseAt),
    resolvedAt: iso(ticket.resolvedAt),
    closedAt: iso(ticket.closedAt),
    sla: {
      firstResponseDueAt: iso(ticket.firstResponseDueAt),
      resolutionDueAt: iso(ticket.resolutionDueAt),
      firstResponseBreached: breached(
        ticket.firstResponseBreached,
        ticket.firstResponseDueAt,
        ticket.firstResponseAt !== null || finished || ticket.status === 'pending',
        now,
      ),
      resolutionBreached: breached(
        ticket.resolutionBreached,
        ticket.resolutionDueAt,
        finished || ticket.status === 'pending',
        now,
      ),
    },
    version: ticket.version,
  };
}

export class CommentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty() body!: string;
  @ApiProperty() internal!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export function toCommentView(comment: Comment): CommentView {
  return {
    id: comment.id,
    ticketId: comment.ticketId,
    authorId: comment.authorId,
    body: comment.body,
    internal: comment.internal,
    createdAt: comment.createdAt.toISOString(),
  };
}
