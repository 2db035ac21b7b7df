import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { EmailQueue } from '../email/email-queue';
import type { SendEmailAnswer, SendEmailBody } from './emails.dto';

export class SendEmailCommand {
  constructor(readonly body: SendEmailBody) {}
}

/** Another service asks for an e-mail: queued once per (organization, idempotencyKey). */
@CommandHandler(SendEmailCommand)
export class SendEmailHandler implements ICommandHandler<SendEmailCommand, SendEmailAnswer> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly emails: EmailQueue,
  ) {}

  async execute({ body }: SendEmailCommand): Promise<SendEmailAnswer> {
    return withTransaction(this.dataSource, async () => {
      const outcome = await this.emails.enqueue({
        tenantId: body.organizationId,
        template: body.template,
        data: body.data,
        to: { address: body.to },
        idempotencyKey: body.idempotencyKey,
      });
      if (outcome.id === undefined)
        throw ProblemException.invalidField('to', 'is not a deliverable e-mail address');
      return { id: outcome.id };
    });
  }
}
