import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { TicketStore } from '../tickets/ticket-store';
import { toTicketView } from '../tickets/ticket.view';
import { onlyVisibleComments, onlyVisibleTickets } from '../tickets/visibility';
import type { SearchQuery, TicketHit } from './search.dto';
import { highlightOf, tsQuery } from './search-text';

export class SearchTicketsQuery {
  constructor(
    readonly actor: TicketActor,
    readonly query: SearchQuery,
  ) {}
}

/**
 * Full-text over title (weight A), description (B) and the comments the
 * caller may see (C), best first. The same visibility rule as every list:
 * a requester's search never finds another's ticket or an internal comment.
 */
@QueryHandler(SearchTicketsQuery)
export class SearchTicketsHandler implements IQueryHandler<
  SearchTicketsQuery,
  Paginated<TicketHit>
> {
  constructor(private readonly tickets: TicketStore) {}

  async execute({ actor, query }: SearchTicketsQuery): Promise<Paginated<TicketHit>> {
    const base = onlyVisibleTickets(
      this.tickets.repository().createQueryBuilder('ticket'),
      'ticket',
      actor,
    );
    const matchingComments = onlyVisibleComments(
      base
        .subQuery()
        .select('max(ts_rank(comment.search, ' + tsQuery('q') + '))')
        .from('comment', 'comment'),
      'comment',
      'ticket',
      actor,
    )
      .andWhere('comment.ticket_id = ticket.id')
      .andWhere(`comment.search @@ ${tsQuery('q')}`);
    const commentRank = `coalesce(${matchingComments.getQuery()}, 0)`;
    const ticketRank = `ts_rank(ticket.search, ${tsQuery('q')})`;
    base
      .setParameters(matchingComments.getParameters())
      .setParameter('q', query.q)
      .andWhere(`(ticket.search @@ ${tsQuery('q')} OR ${commentRank} > 0)`)
      .addSelect(`${ticketRank} + ${commentRank}`, 'search_rank')
      .addSelect(
        highlightOf(`ticket.title || E'\\n' || ticket.description`, 'q'),
        'search_highlight',
      )
      .orderBy('search_rank', 'DESC')
      .addOrderBy('ticket.created_at', 'DESC')
      .addOrderBy('ticket.id', 'DESC');

    const total = await base.clone().orderBy().getCount();
    const { entities, raw } = await base
      .offset(pageOffset(query))
      .limit(query.limit)
      .getRawAndEntities();
    const now = new Date();
    const hits = entities.map((ticket, index) => ({
      ...toTicketView(ticket, now),
      highlight: String((raw[index] as { search_highlight?: string }).search_highlight ?? ''),
    }));
    return paginate(hits, total, query);
  }
}
