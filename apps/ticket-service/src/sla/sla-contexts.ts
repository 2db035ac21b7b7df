import { Injectable } from '@nestjs/common';
import { Directory } from '@helpdesk/user-directory';
import { BusinessCalendar, scheduleFromBusinessHours } from '../domain/sla';
import type { SlaContext } from '../domain/ticket';
import { SlaPolicies } from './policies/sla-policies';

/**
 * What the ticket aggregate needs for its SLA clocks: the organization's
 * policy, and the calendar its minutes count in — business hours in the
 * organization's time zone when the policy says so, else around the clock.
 */
@Injectable()
export class SlaContexts {
  constructor(
    private readonly policies: SlaPolicies,
    private readonly directory: Directory,
  ) {}

  async forTenant(tenantId: string): Promise<SlaContext> {
    const policy = await this.policies.forTenant(tenantId);
    if (!policy.businessHoursOnly) return { policy, calendar: new BusinessCalendar(null) };
    const organization = await this.directory.organization(tenantId);
    try {
      const schedule = organization
        ? scheduleFromBusinessHours(organization.businessHours, organization.timezone)
        : null;
      return { policy, calendar: new BusinessCalendar(schedule) };
    } catch {
      // Business hours with no working time at all (or an unknown zone) cannot pace a clock;
      // counting around the clock is the conservative reading: SLAs never silently stop.
      return { policy, calendar: new BusinessCalendar(null) };
    }
  }
}
