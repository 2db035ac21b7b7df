import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { afterCommit, currentManager } from '@helpdesk/database';
import type { TicketActor } from '../domain/actor';
import type { Ticket } from '../domain/ticket';
import { TicketSchema } from '../persistence/schemas';
import { ListTotals } from './list-totals';
import type { TicketView } from './ticket.view';
import { ticketViews } from './ticket-views';
import { onlyVisibleTickets } from './visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads a ticket the actor may see — or answers 404, whether or not it
 * exists — and writes tickets, telling the list totals once a write commits.
 */
@Injectable()
export class TicketStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly totals: ListTotals,
  ) {}

  repository() {
    return currentManager(this.dataSource).getRepository(TicketSchema);
  }

  /** Inside a transaction, `forUpdate` locks the row so concurrent changes queue up. */
  async visible(
    ticketId: string,
    actor: TicketActor,
    options: { forUpdate?: boolean } = {},
  ): Promise<Ticket> {
    const query = this.visibleById(ticketId, actor);
    if (options.forUpdate) query.setLock('pessimistic_write');
    const ticket = await query.getOne();
    if (!ticket) throw notFound();
    return ticket;
  }

  /** The same ticket as `visible`, as shown: a read, no aggregate. */
  async visibleView(ticketId: string, actor: TicketActor): Promise<TicketView> {
    const [view] = await ticketViews(this.visibleById(ticketId, actor), 'ticket');
    if (!view) throw notFound();
    return view;
  }

  private visibleById(ticketId: string, actor: TicketActor) {
    if (!UUID.test(ticketId)) throw notFound();
    return onlyVisibleTickets(
      this.repository().createQueryBuilder('ticket'),
      'ticket',
      actor,
    ).andWhere('ticket.id = :ticketId', { ticketId });
  }

  /** One multi-row INSERT for tickets of one organization. */
  async insertAll(tenantId: string, tickets: Ticket[]): Promise<void> {
    if (tickets.some((ticket) => ticket.tenantId !== tenantId))
      throw new Error('insertAll takes the tickets of one organization');
    await this.repository().insert(tickets);
    this.changed(tenantId);
  }

  async save(ticket: Ticket): Promise<Ticket> {
    const saved = await this.repository().save(ticket);
    this.changed(ticket.tenantId);
    return saved;
  }

  async remove(ticket: Ticket): Promise<void> {
    await this.repository().delete({ id: ticket.id, tenantId: ticket.tenantId });
    this.changed(ticket.tenantId);
  }

  private changed(tenantId: string): void {
    afterCommit(this.dataSource, () => this.totals.forget(tenantId));
  }
}

const notFound = () => new NotFoundException('Ticket not found.');
