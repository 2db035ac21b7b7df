import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import {
  DEFAULT_SLA_POLICY,
  priorityRank,
  type SlaPolicy,
  type SlaTarget,
} from '../../domain/sla-policy';

/** Most severe first, whatever order they were given in: one policy is always written alike. */
export function canonicalTargets(targets: readonly SlaTarget[]): SlaTarget[] {
  return [...targets]
    .map(({ priority, firstResponseMinutes, resolutionMinutes }) => ({
      priority,
      firstResponseMinutes,
      resolutionMinutes,
    }))
    .sort((a, b) => priorityRank(b.priority) - priorityRank(a.priority));
}

/**
 * Each organization's SLA policy (table `sla_policy`), or DEFAULT_SLA_POLICY
 * until its admin sets one. Reads and writes join the caller's transaction.
 *
 * A policy is read when a ticket's clocks are budgeted — at creation and when
 * its priority changes — so a new policy applies to tickets created or
 * re-prioritised afterwards; running clocks keep the budget they started with.
 */
@Injectable()
export class SlaPolicies {
  constructor(private readonly dataSource: DataSource) {}

  async forTenant(tenantId: string): Promise<SlaPolicy> {
    const [row] = await currentManager(this.dataSource).query(
      'SELECT policies, business_hours_only FROM sla_policy WHERE tenant_id = $1',
      [tenantId],
    );
    if (!row) return structuredClone(DEFAULT_SLA_POLICY);
    return { policies: canonicalTargets(row.policies), businessHoursOnly: row.business_hours_only };
  }

  /** Replaces the organization's policy (version + 1); returns it as stored. */
  async replace(tenantId: string, policy: SlaPolicy, now = new Date()): Promise<SlaPolicy> {
    const policies = canonicalTargets(policy.policies);
    await currentManager(this.dataSource).query(
      `INSERT INTO sla_policy (tenant_id, policies, business_hours_only, version, updated_at)
       VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (tenant_id) DO UPDATE
         SET policies = EXCLUDED.policies,
             business_hours_only = EXCLUDED.business_hours_only,
             version = sla_policy.version + 1,
             updated_at = EXCLUDED.updated_at`,
      [tenantId, JSON.stringify(policies), policy.businessHoursOnly, now],
    );
    return { policies, businessHoursOnly: policy.businessHoursOnly };
  }
}
