import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { withTransaction } from '@helpdesk/database';
import type { SlaPolicy } from '../../../domain/sla-policy';
import { SlaPolicies } from '../sla-policies';
import { assertDistinctPriorities, type UpdateSlaPoliciesBody } from '../sla-policies.dto';

export class UpdateSlaPoliciesCommand {
  constructor(
    readonly actor: Actor,
    readonly body: UpdateSlaPoliciesBody,
  ) {}
}

/**
 * An admin replaces the organization's policy as a whole. No event: nothing
 * outside ticket-service consumes policies (not in the catalogue). Tickets
 * created or re-prioritised from now on are budgeted by it; running clocks
 * keep theirs.
 */
@CommandHandler(UpdateSlaPoliciesCommand)
export class UpdateSlaPoliciesHandler implements ICommandHandler<
  UpdateSlaPoliciesCommand,
  SlaPolicy
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: SlaPolicies,
  ) {}

  async execute({ actor, body }: UpdateSlaPoliciesCommand): Promise<SlaPolicy> {
    assertDistinctPriorities(body);
    return withTransaction(this.dataSource, () =>
      this.policies.replace(actor.organizationId, {
        policies: body.policies,
        businessHoursOnly: body.businessHoursOnly,
      }),
    );
  }
}
