import type { TicketStatus } from '@helpdesk/contracts';

/** The contract's state machine (API.md, "Statuses"): every move not listed is refused. */
export const ALLOWED_MOVES: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['in_progress', 'pending', 'resolved', 'closed'],
  in_progress: ['pending', 'resolved', 'open'],
  pending: ['in_progress', 'resolved', 'open'],
  resolved: ['closed', 'open'],
  closed: [],
};

export function mayMove(from: TicketStatus, to: TicketStatus): boolean {
  return ALLOWED_MOVES[from].includes(to);
}

/** `pending` waits on the requester: SLA clocks do not run there. */
export function clocksRunIn(status: TicketStatus): boolean {
  return status !== 'pending' && status !== 'resolved' && status !== 'closed';
}
