import type { Role } from '@helpdesk/contracts';

/** Who is acting, as the domain needs to know it (from the verified token). */
export interface TicketActor {
  userId: string;
  organizationId: string;
  role: Role;
}

const RANK: Record<Role, number> = { requester: 0, agent: 1, manager: 2, admin: 3 };

export function isStaff(actor: Pick<TicketActor, 'role'>): boolean {
  return RANK[actor.role] >= RANK.agent;
}

export function isAdmin(actor: Pick<TicketActor, 'role'>): boolean {
  return actor.role === 'admin';
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}
