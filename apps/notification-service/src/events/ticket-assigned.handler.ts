import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketAssigned } from '@helpdesk/contracts';
import { Notifier } from './notifier';

/** The new assignee (unless they assigned themselves); nothing on un-assignment. */
@EventsHandler(TicketAssigned)
export class NotifyTicketAssigned implements IEventHandler<TicketAssigned> {
  constructor(private readonly notifier: Notifier) {}

  async handle(event: TicketAssigned): Promise<void> {
    const { ticketId, number, title, priority, assigneeId } = event.payload;
    if (assigneeId === null) return;
    await this.notifier.notifyUsers(
      {
        event,
        template: 'ticket-assigned',
        preference: 'ticketAssigned',
        ticket: { ticketId, number, title, priority },
        inApp: { type: 'ticket.assigned', title: `Ticket #${number} assigned to you`, body: title },
      },
      [await this.notifier.liveUser(event.tenantId, assigneeId)],
    );
  }
}
