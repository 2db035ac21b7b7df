import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketStatusChanged } from '@helpdesk/contracts';
import { Notifier } from './notifier';

const STATUS_LABELS: Record<string, string> = {
  open: 'open',
  in_progress: 'in progress',
  pending: 'pending',
  resolved: 'resolved',
  closed: 'closed',
};

/** The requester (unless they changed it themselves). */
@EventsHandler(TicketStatusChanged)
export class NotifyTicketStatusChanged implements IEventHandler<TicketStatusChanged> {
  constructor(private readonly notifier: Notifier) {}

  async handle(event: TicketStatusChanged): Promise<void> {
    const { ticketId, number, title, from, to, requesterId } = event.payload;
    const statusTo = STATUS_LABELS[to] ?? to;
    await this.notifier.notifyUsers(
      {
        event,
        template: 'ticket-status-changed',
        preference: 'ticketStatusChanged',
        ticket: { ticketId, number, title },
        data: { statusFrom: STATUS_LABELS[from] ?? from, statusTo },
        inApp: {
          type: 'ticket.status_changed',
          title: `Ticket #${number} is ${statusTo}`,
          body: title,
        },
      },
      [await this.notifier.liveUser(event.tenantId, requesterId)],
    );
  }
}
