import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { isStaff, roleAtLeast, type TicketActor } from '../../domain/actor';
import { Directory } from '@helpdesk/user-directory';
import { ticketAssigned } from '../ticket-events';
import { TicketStore } from '../ticket-store';
import { toTicketView, type TicketView } from '../ticket.view';

export class AssignTicketCommand {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
    readonly assigneeId: string | null,
  ) {}
}

/** Assigns to an agent (or higher) of the organization, or unassigns. */
@CommandHandler(AssignTicketCommand)
export class AssignTicketHandler implements ICommandHandler<AssignTicketCommand, TicketView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly tickets: TicketStore,
    private readonly directory: Directory,
  ) {}

  async execute({ actor, ticketId, assigneeId }: AssignTicketCommand): Promise<TicketView> {
    return withTransaction(this.dataSource, async () => {
      const ticket = await this.tickets.visible(ticketId, actor, { forUpdate: true });
      let assignee: { id: string; tenantId: string; isStaff: boolean } | null = null;
      if (assigneeId !== null) {
        const user = await this.directory.user(actor.organizationId, assigneeId, {
          forShare: true,
        });
        if (!user || user.deleted || !user.active)
          throw ProblemException.invalidField('assigneeId', 'is not a user of this organization');
        assignee = {
          id: user.id,
          tenantId: user.tenantId,
          isStaff: roleAtLeast(user.role, 'agent'),
        };
      }
      if (!isStaff(actor)) throw new ProblemException(403, 'Only agents and above assign tickets.');
      const previous = ticket.assign(assignee, actor);
      if (previous !== undefined) {
        await this.tickets.save(ticket);
        await this.eventBus.publish(ticketAssigned(ticket, previous));
      }
      return toTicketView(ticket);
    });
  }
}
