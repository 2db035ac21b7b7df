import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TicketDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import type { TicketActor } from '../../domain/actor';
import { TicketStore } from '../ticket-store';

export class DeleteTicketCommand {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
  ) {}
}

/** Admins only; the ticket and its comments go. */
@CommandHandler(DeleteTicketCommand)
export class DeleteTicketHandler implements ICommandHandler<DeleteTicketCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly tickets: TicketStore,
  ) {}

  async execute({ actor, ticketId }: DeleteTicketCommand): Promise<void> {
    await withTransaction(this.dataSource, async () => {
      const ticket = await this.tickets.visible(ticketId, actor, { forUpdate: true });
      ticket.assertMayDelete(actor);
      await this.tickets.remove(ticket);
      await this.eventBus.publish(
        raise(TicketDeleted, {
          tenantId: ticket.tenantId,
          aggregateId: ticket.id,
          aggregateVersion: ticket.version + 1,
          payload: { ticketId: ticket.id, number: ticket.number },
        }),
      );
    });
  }
}
