import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { countRows } from '../tickets/count-rows';
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
    const repository = this.tickets.repository();
    // Matches from the two (tenant-scoped) full-text indexes — tickets whose own
    // text matches, and tickets with a matching comment the caller may see —
    // each ranked where it is found, so the cost follows the matches, not the
    // organization's size, and no per-ticket sub-query re-reads the comments.
    const byText = onlyVisibleTickets(
      repository.createQueryBuilder('text_ticket'),
      'text_ticket',
      actor,
    )
      .select('text_ticket.id', 'id')
      .addSelect(`ts_rank(text_ticket.search, ${tsQuery('q')})`, 'rank')
      .andWhere(`text_ticket.search @@ ${tsQuery('q')}`);
    const byComment = onlyVisibleComments(
      repository
        .createQueryBuilder('comment_ticket')
        .select('comment.ticket_id', 'id')
        .addSelect(`ts_rank(comment.search, ${tsQuery('q')})`, 'rank')
        .innerJoin('comment', 'comment', 'comment.ticket_id = comment_ticket.id'),
      'comment',
      'comment_ticket',
      actor,
    ).andWhere(`comment.search @@ ${tsQuery('q')}`);
    const hits = `(SELECT matched.id, sum(matched.rank) AS rank
                     FROM (${byText.getQuery()} UNION ALL ${byComment.getQuery()}) matched
                    GROUP BY matched.id)`;
    const select = onlyVisibleTickets(
      repository.createQueryBuilder('ticket').innerJoin(hits, 'hit', 'hit.id = ticket.id'),
      'ticket',
      actor,
    )
      .setParameters({ ...byText.getParameters(), ...byComment.getParameters(), q: query.q })
      .addSelect('hit.rank', 'search_rank')
      .addSelect(
        highlightOf(`ticket.title || E'\\n' || ticket.description`, 'q'),
        'search_highlight',
      )
      .orderBy('search_rank', 'DESC')
      .addOrderBy('ticket.created_at', 'DESC')
      .addOrderBy('ticket.id', 'DESC');

    const [total, { entities, raw }] = await Promise.all([
      countRows(select),
      select.offset(pageOffset(query)).limit(query.limit).getRawAndEntities(),
    ]);
    const now = new Date();
    const found = entities.map((ticket, index) => ({
      ...toTicketView(ticket, now),
      highlight: String((raw[index] as { search_highlight?: string }).search_highlight ?? ''),
    }));
    return paginate(found, total, query);
  }
}
