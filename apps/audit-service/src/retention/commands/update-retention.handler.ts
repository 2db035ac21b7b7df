import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/auth';
import { AuditRetention } from '../audit-retention';
import type { RetentionView, UpdateRetentionBody } from '../retention.dto';

export class UpdateRetentionCommand {
  constructor(
    readonly actor: Actor,
    readonly body: UpdateRetentionBody,
  ) {}
}

/** An admin sets how long the organization's entries are kept; the daily job applies it. */
@CommandHandler(UpdateRetentionCommand)
export class UpdateRetentionHandler implements ICommandHandler<
  UpdateRetentionCommand,
  RetentionView
> {
  constructor(private readonly retention: AuditRetention) {}

  execute({ actor, body }: UpdateRetentionCommand): Promise<RetentionView> {
    return this.retention.replace(actor.organizationId, body.keepDays);
  }
}
