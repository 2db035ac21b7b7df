import { randomUUID } from 'node:crypto';
import type { TicketPriority, TicketStatus } from '@helpdesk/contracts';
import { isAdmin, isStaff, type TicketActor } from './actor';
import { applyChanges, type Changes } from '@helpdesk/domain';
import { RuleViolation } from '@helpdesk/domain';
import {
  dueAt,
  pauseClock,
  rebudgetClock,
  resumeClock,
  startClock,
  type BusinessCalendar,
  type SlaClockState,
} from './sla';
import { priorityRank, targetFor, type SlaPolicy } from './sla-policy';
import { ALLOWED_MOVES, clocksRunIn, mayMove } from './ticket-status';

export type SlaTargetName = 'firstResponse' | 'resolution';

export interface SlaClocks {
  firstResponse: SlaClockState;
  resolution: SlaClockState;
}

/** What the SLA rules need to know about the organization, loaded by the handler. */
export interface SlaContext {
  policy: SlaPolicy;
  calendar: BusinessCalendar;
}

/** The fields a PATCH may change besides status. */
export interface TicketDetails {
  title: string;
  description: string;
  priority: TicketPriority;
  tags: string[];
  departmentId: string | null;
}

export interface TicketEdit extends Partial<TicketDetails> {
  status?: TicketStatus;
}

export interface TicketEditOutcome {
  changes: Changes<
    TicketDetails & { sla: { firstResponseDueAt: string | null; resolutionDueAt: string | null } }
  >;
  statusChange?: { from: TicketStatus; to: TicketStatus };
}

/** Someone may comment; with `firstResponse`, this comment answered the requester for the first time. */
export interface CommentDraft {
  id: string;
  ticketId: string;
  tenantId: string;
  authorId: string;
  body: string;
  internal: boolean;
  createdAt: Date;
  firstResponse: boolean;
}

/**
 * The ticket aggregate: its state machine, who may change what, and its SLA
 * clocks. Handlers load it, call one method, save it with the events it
 * describes; no rule lives anywhere else.
 */
export class Ticket implements TicketDetails {
  id!: string;
  tenantId!: string;
  number!: number;
  title!: string;
  description!: string;
  status!: TicketStatus;
  priority!: TicketPriority;
  priorityRank!: number;
  tags!: string[];
  requesterId!: string;
  assigneeId!: string | null;
  departmentId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  firstResponseAt!: Date | null;
  resolvedAt!: Date | null;
  closedAt!: Date | null;
  slaClocks!: SlaClocks;
  firstResponseDueAt!: Date | null;
  resolutionDueAt!: Date | null;
  firstResponseBreached!: boolean;
  resolutionBreached!: boolean;
  version!: number;

  static open(
    input: {
      tenantId: string;
      number: number;
      title: string;
      description: string;
      priority: TicketPriority;
      tags: string[];
      requesterId: string;
      departmentId: string | null;
    },
    sla: SlaContext,
    now = new Date(),
  ): Ticket {
    const target = targetFor(sla.policy, input.priority);
    const ticket = Object.assign(new Ticket(), {
      id: randomUUID(),
      ...input,
      tags: normalizeTags(input.tags),
      status: 'open' as TicketStatus,
      priorityRank: priorityRank(input.priority),
      assigneeId: null,
      createdAt: now,
      updatedAt: now,
      firstResponseAt: null,
      resolvedAt: null,
      closedAt: null,
      slaClocks: {
        firstResponse: startClock(target?.firstResponseMinutes ?? null, now),
        resolution: startClock(target?.resolutionMinutes ?? null, now),
      },
      firstResponseBreached: false,
      resolutionBreached: false,
      version: 1,
    });
    ticket.refreshDueTimes(sla.calendar);
    return ticket;
  }

  /** Requesters see their own tickets only; staff see every ticket of their organization. */
  isVisibleTo(actor: TicketActor): boolean {
    return (
      actor.organizationId === this.tenantId &&
      (isStaff(actor) || this.requesterId === actor.userId)
    );
  }

  /**
   * A PATCH. Requesters may edit title and description of their own open
   * ticket and reopen it once resolved — nothing else (403).
   */
  edit(
    patch: TicketEdit,
    actor: TicketActor,
    sla: SlaContext,
    now = new Date(),
  ): TicketEditOutcome {
    const { status, ...details } = patch;
    if (!isStaff(actor)) this.assertRequesterMay(patch);
    const dueBefore = this.dueTimes();
    const changes: TicketEditOutcome['changes'] = applyChanges<TicketDetails>(this, {
      ...details,
      ...(details.tags ? { tags: normalizeTags(details.tags) } : {}),
    });
    if (changes.priority) {
      this.priorityRank = priorityRank(this.priority);
      const target = targetFor(sla.policy, this.priority);
      this.slaClocks = {
        firstResponse: rebudgetClock(
          this.slaClocks.firstResponse,
          target?.firstResponseMinutes ?? null,
        ),
        resolution: rebudgetClock(this.slaClocks.resolution, target?.resolutionMinutes ?? null),
      };
    }
    let statusChange: TicketEditOutcome['statusChange'];
    if (status !== undefined && status !== this.status)
      statusChange = this.moveTo(status, sla, now);
    this.refreshDueTimes(sla.calendar);
    const dueAfter = this.dueTimes();
    if (JSON.stringify(dueBefore) !== JSON.stringify(dueAfter))
      changes.sla = { from: dueBefore, to: dueAfter };
    if (Object.keys(changes).length > 0 || statusChange) this.touch(now);
    return { changes, ...(statusChange ? { statusChange } : {}) };
  }

  /** Assign to an agent (or higher) of the organization, or unassign with null. Staff only. */
  assign(
    assignee: { id: string; tenantId: string; isStaff: boolean } | null,
    actor: TicketActor,
    now = new Date(),
  ): string | null | undefined {
    if (!isStaff(actor))
      throw new RuleViolation('forbidden', 'Only agents and above assign tickets.');
    if (assignee && (assignee.tenantId !== this.tenantId || !assignee.isStaff))
      throw new RuleViolation(
        'invalid',
        'must be an agent, manager or admin of this organization',
        'assigneeId',
      );
    const next = assignee?.id ?? null;
    if (next === this.assigneeId) return undefined;
    const previous = this.assigneeId;
    this.assigneeId = next;
    this.touch(now);
    return previous;
  }

  /** The assignee left the organization: nobody works the ticket any more. */
  unassignDeparted(userId: string, now = new Date()): boolean {
    if (this.assigneeId !== userId) return false;
    this.assigneeId = null;
    this.touch(now);
    return true;
  }

  assertMayDelete(actor: TicketActor): void {
    if (!isAdmin(actor)) throw new RuleViolation('forbidden', 'Only admins delete tickets.');
  }

  /**
   * Requesters comment publicly on their own tickets; staff also internally.
   * An agent's first public comment is the first response: its clock stops.
   */
  comment(
    input: { body: string; internal: boolean },
    actor: TicketActor,
    sla: SlaContext,
    now = new Date(),
  ): CommentDraft {
    if (input.internal && !isStaff(actor))
      throw new RuleViolation('forbidden', 'Only agents and above write internal comments.');
    const firstResponse =
      !input.internal &&
      isStaff(actor) &&
      this.firstResponseAt === null &&
      actor.userId !== this.requesterId;
    if (firstResponse) {
      this.firstResponseAt = now;
      this.slaClocks = {
        ...this.slaClocks,
        firstResponse: pauseClock(this.slaClocks.firstResponse, now, sla.calendar),
      };
      this.refreshDueTimes(sla.calendar);
    }
    this.touch(now);
    return {
      id: randomUUID(),
      ticketId: this.id,
      tenantId: this.tenantId,
      authorId: actor.userId,
      body: input.body,
      internal: input.internal,
      createdAt: now,
      firstResponse,
    };
  }

  /** The sweeper's question: which targets have passed their budget (once each)? */
  markBreaches(breached: SlaTargetName[], now = new Date()): SlaTargetName[] {
    const fresh = breached.filter((target) =>
      target === 'firstResponse' ? !this.firstResponseBreached : !this.resolutionBreached,
    );
    for (const target of fresh) {
      if (target === 'firstResponse') this.firstResponseBreached = true;
      else this.resolutionBreached = true;
    }
    if (fresh.length > 0) this.touch(now);
    return fresh;
  }

  private moveTo(
    to: TicketStatus,
    sla: SlaContext,
    now: Date,
  ): { from: TicketStatus; to: TicketStatus } {
    const from = this.status;
    if (!mayMove(from, to))
      throw new RuleViolation(
        'conflict',
        ALLOWED_MOVES[from].length > 0
          ? `A ${from} ticket cannot move to ${to}; allowed: ${ALLOWED_MOVES[from].join(', ')}.`
          : `A ${from} ticket cannot move any more.`,
      );
    const wasRunning = clocksRunIn(from);
    const runs = clocksRunIn(to);
    const clocks = { ...this.slaClocks };
    for (const name of ['firstResponse', 'resolution'] as const) {
      const stopped = name === 'firstResponse' && this.firstResponseAt !== null;
      if (stopped) continue;
      if (wasRunning && !runs) clocks[name] = pauseClock(clocks[name], now, sla.calendar);
      if (!wasRunning && runs) clocks[name] = resumeClock(clocks[name], now);
    }
    this.slaClocks = clocks;
    this.status = to;
    if (to === 'resolved') this.resolvedAt = now;
    if (to === 'closed') this.closedAt = now;
    if (to === 'open' || to === 'in_progress' || to === 'pending') this.resolvedAt = null;
    return { from, to };
  }

  private assertRequesterMay(patch: TicketEdit): void {
    const { title, description, status, ...others } = patch;
    const touchesOthers = Object.values(others).some((value) => value !== undefined);
    if (touchesOthers)
      throw new RuleViolation('forbidden', 'Requesters may only edit the title and description.');
    if ((title !== undefined || description !== undefined) && this.status !== 'open')
      throw new RuleViolation('forbidden', 'Requesters may edit a ticket only while it is open.');
    if (
      status !== undefined &&
      status !== this.status &&
      !(this.status === 'resolved' && status === 'open')
    )
      throw new RuleViolation('forbidden', 'Requesters may only reopen a resolved ticket.');
  }

  /**
   * A running clock has a due time; a paused one (pending) has none, since it
   * moves with every minute of the pause. A stopped one (answered, resolved)
   * keeps the due time it had, so reports can compare it with what happened.
   */
  private refreshDueTimes(calendar: BusinessCalendar): void {
    if (this.firstResponseAt === null)
      this.firstResponseDueAt = dueAt(this.slaClocks.firstResponse, calendar);
    if (this.status !== 'resolved' && this.status !== 'closed')
      this.resolutionDueAt = dueAt(this.slaClocks.resolution, calendar);
  }

  private dueTimes(): { firstResponseDueAt: string | null; resolutionDueAt: string | null } {
    return {
      firstResponseDueAt: this.firstResponseDueAt?.toISOString() ?? null,
      resolutionDueAt: this.resolutionDueAt?.toISOString() ?? null,
    };
  }

  private touch(now: Date): void {
    this.version += 1;
    this.updatedAt = now;
  }
}

/** Tags are labels: trimmed, lower-cased, each once, in the order given. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter((tag) => tag.length > 0))];
}
