import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { TicketActor } from '../../domain/actor';
import { TicketStore } from '../ticket-store';
import type { TicketView } from '../ticket.view';

export class GetTicketQuery {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
  ) {}
}

@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery, TicketView> {
  constructor(private readonly tickets: TicketStore) {}

  async execute({ actor, ticketId }: GetTicketQuery): Promise<TicketView> {
    return this.tickets.visibleView(ticketId, actor);
  }
}
