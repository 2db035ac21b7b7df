import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { UserCreated } from '@helpdesk/contracts';
import { AccountEmails } from './account-emails';

/** Signing up or self-registering → a welcome mail. An invited user's mail comes from `user.invited`. */
@EventsHandler(UserCreated)
export class SendWelcomeEmail implements IEventHandler<UserCreated> {
  constructor(private readonly accounts: AccountEmails) {}

  async handle(event: UserCreated): Promise<void> {
    const { source, userId, email, name } = event.payload;
    if (source !== 'signup' && source !== 'registration') return;
    await this.accounts.send({
      tenantId: event.tenantId,
      eventId: event.eventId,
      template: 'welcome',
      user: { userId, email, name },
      data: { loginUrl: this.accounts.link('/login') },
    });
  }
}
