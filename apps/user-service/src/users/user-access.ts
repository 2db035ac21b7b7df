import { type Actor, hasRoleAtLeast } from '@helpdesk/auth';

/**
 * Whom a caller may see in the directory: agents and up see everyone of their
 * organization (the tenant scope sees to "their organization"); requesters
 * only themselves. Anyone else does not exist for them (404).
 */
export function mayView(actor: Actor, userId: string): boolean {
  return userId === actor.userId || hasRoleAtLeast(actor.role, 'agent');
}
