import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { UserInvited } from '@helpdesk/contracts';
import { AccountEmails } from './account-emails';

/** The invitation with its set-password link; the token is read here and nowhere else. */
@EventsHandler(UserInvited)
export class SendInvitationEmail implements IEventHandler<UserInvited> {
  constructor(private readonly accounts: AccountEmails) {}

  async handle(event: UserInvited): Promise<void> {
    const { userId, email, name, token, expiresAt } = event.payload;
    await this.accounts.send({
      tenantId: event.tenantId,
      eventId: event.eventId,
      template: 'invitation',
      user: { userId, email, name },
      data: { acceptUrl: this.accounts.link('/accept-invite', token), expiresAt },
    });
  }
}
