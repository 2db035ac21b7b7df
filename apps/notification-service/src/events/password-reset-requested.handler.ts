import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { UserPasswordResetRequested } from '@helpdesk/contracts';
import { AccountEmails } from './account-emails';

/** The reset link; the token is read here and nowhere else. */
@EventsHandler(UserPasswordResetRequested)
export class SendPasswordResetEmail implements IEventHandler<UserPasswordResetRequested> {
  constructor(private readonly accounts: AccountEmails) {}

  async handle(event: UserPasswordResetRequested): Promise<void> {
    const { userId, email, name, token, expiresAt } = event.payload;
    await this.accounts.send({
      tenantId: event.tenantId,
      eventId: event.eventId,
      template: 'password-reset',
      user: { userId, email, name },
      data: { resetUrl: this.accounts.link('/reset-password', token), expiresAt },
    });
  }
}
