import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { TicketSlaBreached } from '@helpdesk/contracts';
import { Directory } from '@helpdesk/user-directory';
import { Notifier } from './notifier';

const TARGET_LABELS = { first_response: 'first response', resolution: 'resolution' } as const;

/** The assignee and the organization's managers. */
@EventsHandler(TicketSlaBreached)
export class NotifySlaBreached implements IEventHandler<TicketSlaBreached> {
  constructor(
    private readonly directory: Directory,
    private readonly notifier: Notifier,
  ) {}

  async handle(event: TicketSlaBreached): Promise<void> {
    const { ticketId, number, title, priority, target, dueAt, assigneeId } = event.payload;
    const managers = await this.directory.members(event.tenantId, { roles: ['manager'] });
    const targetLabel = TARGET_LABELS[target];
    await this.notifier.notifyUsers(
      {
        event,
        template: 'sla-breach',
        preference: 'slaBreached',
        ticket: { ticketId, number, title, priority },
        data: { targetLabel, dueAt },
        inApp: {
          type: 'ticket.sla_breached',
          title: `SLA breached on ticket #${number} (${targetLabel})`,
          body: title,
        },
      },
      [await this.notifier.liveUser(event.tenantId, assigneeId), ...managers],
    );
  }
}
