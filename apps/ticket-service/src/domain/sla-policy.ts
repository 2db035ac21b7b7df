import type { TicketPriority } from '@helpdesk/contracts';
import { TICKET_PRIORITIES } from '@helpdesk/contracts';

export interface SlaTarget {
  priority: TicketPriority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** An organization's SLA policy: targets per priority, counted in business hours or around the clock. */
export interface SlaPolicy {
  policies: SlaTarget[];
  businessHoursOnly: boolean;
}

/**
 * What an organization gets before an admin sets its own: common industry
 * targets, so SLA numbers mean something from the first ticket on.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  policies: [
    { priority: 'urgent', firstResponseMinutes: 60, resolutionMinutes: 240 },
    { priority: 'high', firstResponseMinutes: 240, resolutionMinutes: 1440 },
    { priority: 'normal', firstResponseMinutes: 480, resolutionMinutes: 2880 },
    { priority: 'low', firstResponseMinutes: 1440, resolutionMinutes: 5760 },
  ],
  businessHoursOnly: false,
};

export function targetFor(policy: SlaPolicy, priority: TicketPriority): SlaTarget | undefined {
  return policy.policies.find((target) => target.priority === priority);
}

/** Severity order for sorting: low < normal < high < urgent. */
export function priorityRank(priority: TicketPriority): number {
  return TICKET_PRIORITIES.indexOf(priority);
}
