import type { Role } from '@helpdesk/contracts';

/**
 * From least to most privileged. Spelled out here rather than taken from the
 * order of ROLES in contracts: reordering a list there must never hand out
 * privileges here.
 */
const ROLE_ORDER = ['requester', 'agent', 'manager', 'admin'] as const satisfies readonly Role[];

const RANK: ReadonlyMap<string, number> = new Map(ROLE_ORDER.map((role, index) => [role, index]));

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && RANK.has(value);
}

/** Whether `role` may do what `minimum` may: requester < agent < manager < admin. */
export function hasRoleAtLeast(role: Role, minimum: Role): boolean {
  const rank = RANK.get(role);
  const needed = RANK.get(minimum);
  if (rank === undefined || needed === undefined) return false;
  return rank >= needed;
}
