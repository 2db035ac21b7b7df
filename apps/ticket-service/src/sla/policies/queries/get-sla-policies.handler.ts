import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import type { SlaPolicy } from '../../../domain/sla-policy';
import { SlaPolicies } from '../sla-policies';

export class GetSlaPoliciesQuery {
  constructor(readonly actor: Actor) {}
}

/** The caller's organization's policy: its own, or the default until an admin sets one. */
@QueryHandler(GetSlaPoliciesQuery)
export class GetSlaPoliciesHandler implements IQueryHandler<GetSlaPoliciesQuery, SlaPolicy> {
  constructor(private readonly policies: SlaPolicies) {}

  execute({ actor }: GetSlaPoliciesQuery): Promise<SlaPolicy> {
    return this.policies.forTenant(actor.organizationId);
  }
}
