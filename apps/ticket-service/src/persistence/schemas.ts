import { EntitySchema, type ValueTransformer } from 'typeorm';
import type { SlaClockState } from '../domain/sla';
import { Ticket, type SlaClocks } from '../domain/ticket';
import { Comment } from '../domain/comment';

/** How the domain's plain classes map to tables (created by the migrations only). */
const timestamp = { type: 'timestamptz' } as const;
const optionalTimestamp = { type: 'timestamptz', nullable: true } as const;

type StoredClock = Omit<SlaClockState, 'startedAt' | 'runningSince'> & {
  startedAt: string;
  runningSince: string | null;
};

const reviveClock = (clock: StoredClock): SlaClockState => ({
  ...clock,
  startedAt: new Date(clock.startedAt),
  runningSince: clock.runningSince === null ? null : new Date(clock.runningSince),
});

/** SLA clocks live in one jsonb column; their instants are ISO strings there. */
const slaClocksColumn: ValueTransformer = {
  to: (clocks: SlaClocks | undefined) => clocks && JSON.parse(JSON.stringify(clocks)),
  from: (stored: { firstResponse: StoredClock; resolution: StoredClock } | null) =>
    stored && {
      firstResponse: reviveClock(stored.firstResponse),
      resolution: reviveClock(stored.resolution),
    },
};

export const TicketSchema = new EntitySchema<Ticket>({
  name: 'Ticket',
  target: Ticket,
  tableName: 'ticket',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    number: { type: 'integer' },
    title: { type: 'text' },
    description: { type: 'text' },
    status: { type: 'text' },
    priority: { type: 'text' },
    priorityRank: { type: 'smallint' },
    tags: { type: 'text', array: true },
    requesterId: { type: 'uuid' },
    assigneeId: { type: 'uuid', nullable: true },
    departmentId: { type: 'uuid', nullable: true },
    createdAt: timestamp,
    updatedAt: timestamp,
    firstResponseAt: optionalTimestamp,
    resolvedAt: optionalTimestamp,
    closedAt: optionalTimestamp,
    slaClocks: { type: 'jsonb', transformer: slaClocksColumn },
    firstResponseDueAt: optionalTimestamp,
    resolutionDueAt: optionalTimestamp,
    firstResponseBreached: { type: 'boolean' },
    resolutionBreached: { type: 'boolean' },
    version: { type: 'integer' },
  },
});

export const CommentSchema = new EntitySchema<Comment>({
  name: 'Comment',
  target: Comment,
  tableName: 'comment',
  columns: {
    id: { type: 'uuid', primary: true },
    tenantId: { type: 'uuid' },
    ticketId: { type: 'uuid' },
    authorId: { type: 'uuid' },
    body: { type: 'text' },
    internal: { type: 'boolean' },
    createdAt: timestamp,
  },
});

export const entities = [TicketSchema, CommentSchema];
