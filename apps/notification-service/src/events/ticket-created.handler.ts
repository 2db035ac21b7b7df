import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketCreated } from '@helpdesk/contracts';
import { Directory } from '@helpdesk/user-directory';
import { Notifier } from './notifier';

/**
 * The organization's agents of the ticket's department (all agents when it
 * has none, or nobody there), and a receipt to the requester. The receipt is
 * the one mail that reaches the actor too: confirming their own request is
 * its purpose. The agent who opened a ticket on someone's behalf is not told.
 */
@EventsHandler(TicketCreated)
export class NotifyTicketCreated implements IEventHandler<TicketCreated> {
  constructor(
    private readonly directory: Directory,
    private readonly notifier: Notifier,
  ) {}

  async handle(event: TicketCreated): Promise<void> {
    const { ticketId, number, title, priority, description, departmentId, requesterId } =
      event.payload;
    const ticket = { ticketId, number, title, priority, description };
    const requester = await this.notifier.liveUser(event.tenantId, requesterId);
    let agents =
      departmentId === null
        ? []
        : await this.directory.members(event.tenantId, { roles: ['agent'], departmentId });
    if (agents.length === 0)
      agents = await this.directory.members(event.tenantId, { roles: ['agent'] });
    await this.notifier.notifyUsers(
      {
        event,
        template: 'ticket-created',
        preference: 'ticketCreated',
        ticket,
        data: { requesterName: requester?.name ?? null },
        inApp: { type: 'ticket.created', title: `New ticket #${number}`, body: title },
      },
      agents.filter((agent) => agent.id !== requesterId),
    );
    await this.notifier.notifyUsers(
      { event, template: 'ticket-receipt', preference: 'ticketCreated', ticket },
      [requester],
      { includeActor: true },
    );
  }
}
