import type { Actor } from '@helpdesk/auth';
import type { TicketActor } from '../domain/actor';

/** The verified token's actor, as the ticket domain sees it. */
export function ticketActor(actor: Actor): TicketActor {
  return { userId: actor.userId, organizationId: actor.organizationId, role: actor.role };
}
