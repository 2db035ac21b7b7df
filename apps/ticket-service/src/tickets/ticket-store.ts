import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import type { TicketActor } from '../domain/actor';
import type { Ticket } from '../domain/ticket';
import { TicketSchema } from '../persistence/schemas';
import { onlyVisibleTickets } from './visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Loads a ticket the actor may see — or answers 404, whether or not it exists. */
@Injectable()
export class TicketStore {
  constructor(private readonly dataSource: DataSource) {}

  repository() {
    return currentManager(this.dataSource).getRepository(TicketSchema);
  }

  /** Inside a transaction, `forUpdate` locks the row so concurrent changes queue up. */
  async visible(
    ticketId: string,
    actor: TicketActor,
    options: { forUpdate?: boolean } = {},
  ): Promise<Ticket> {
    if (!UUID.test(ticketId)) throw notFound();
    const query = onlyVisibleTickets(
      this.repository().createQueryBuilder('ticket'),
      'ticket',
      actor,
    ).andWhere('ticket.id = :ticketId', { ticketId });
    if (options.forUpdate) query.setLock('pessimistic_write');
    const ticket = await query.getOne();
    if (!ticket) throw notFound();
    return ticket;
  }

  save(ticket: Ticket): Promise<Ticket> {
    return this.repository().save(ticket);
  }
}

const notFound = () => new NotFoundException('Ticket not found.');
