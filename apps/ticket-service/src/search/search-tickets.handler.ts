import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { TicketStore } from '../tickets/ticket-store';
import { selectShown } from '../tickets/ticket-views';
import { toTicketView, type TicketShown } from '../tickets/ticket.view';
import { onlyVisibleTickets, searchableTextOf } from '../tickets/visibility';
import type { SearchQuery, TicketHit } from './search.dto';
import { highlightOf, tsQuery, searchTotal } from './search-text';

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
 *
 * Each ticket has one search document (`ticket_search`, kept by triggers): its
 * own text and its comments' in one vector, one for staff and one without
 * internal comments for requesters. So one statement answers the page and its
 * total, and its cost follows the matches, not the organization's size:
 * - one tenant-scoped GIN scan gives the matching documents, each ranked once;
 * - the document carries created_at (the tie-break), so ranking and the total
 *   (a window count) need no other table;
 * - only the page's rows are joined to ticket, for their columns and the
 *   (expensive) ts_headline.
 */
@QueryHandler(SearchTicketsQuery)
export class SearchTicketsHandler implements IQueryHandler<
  SearchTicketsQuery,
  Paginated<TicketHit>
> {
  constructor(private readonly tickets: TicketStore) {}

  async execute({ actor, query }: SearchTicketsQuery): Promise<Paginated<TicketHit>> {
    const repository = this.tickets.repository();
    const matches = this.matchingDocuments(actor, query.q);
    const hits = matches
      .clone()
      .select('document.ticket_id', 'id')
      .addSelect(`ts_rank(${searchableTextOf('document', actor)}, ${tsQuery('q')})`, 'rank')
      .addSelect('document.created_at', 'created_at')
      .addSelect('count(*) OVER ()', 'total')
      .orderBy('rank', 'DESC')
      .addOrderBy('document.created_at', 'DESC')
      .addOrderBy('document.ticket_id', 'DESC')
      .limit(query.limit)
      .offset(pageOffset(query));
    const select = onlyVisibleTickets(
      repository
        .createQueryBuilder('ticket')
        .innerJoin(`(${hits.getQuery()})`, 'hit', 'hit.id = ticket.id'),
      'ticket',
      actor,
    );
    const rows = await selectShown(select, 'ticket')
      .setParameters(hits.getParameters())
      .addSelect('hit.total', 'search_total')
      .addSelect(
        highlightOf(`ticket.title || E'\\n' || ticket.description`, 'q'),
        'search_highlight',
      )
      .orderBy('hit.rank', 'DESC')
      .addOrderBy('hit.created_at', 'DESC')
      .addOrderBy('hit.id', 'DESC')
      .getRawMany<TicketShown & SearchRow>();
    const now = new Date();
    const found = rows.map((row) => ({
      ...toTicketView(row, now),
      highlight: row.search_highlight ?? '',
    }));
    const total = await searchTotal(rows, pageOffset(query), async () => {
      const row = await matches.select('count(*)', 'total').getRawOne<{ total: string }>();
      return Number(row?.total ?? 0);
    });
    return paginate(found, total, query);
  }

  /** The search documents the actor may read that match `q`. */
  private matchingDocuments(actor: TicketActor, q: string) {
    const documents = this.tickets
      .repository()
      .manager.createQueryBuilder()
      .from('ticket_search', 'document');
    return onlyVisibleTickets(documents, 'document', actor).andWhere(
      `${searchableTextOf('document', actor)} @@ ${tsQuery('q')}`,
      { q },
    );
  }
}

interface SearchRow {
  search_total: string;
  search_highlight: string | null;
}
