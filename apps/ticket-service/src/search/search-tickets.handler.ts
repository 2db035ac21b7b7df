import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { CommentSchema } from '../persistence/schemas';
import { TicketStore } from '../tickets/ticket-store';
import { toTicketView } from '../tickets/ticket.view';
import { onlyVisibleComments, onlyVisibleTickets } from '../tickets/visibility';
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
 * One statement answers both the page and its total, and its cost follows
 * the matches, not the organization's size:
 * - the two tenant-scoped GIN indexes give the matches — tickets whose own
 *   text matches, comments the caller may see — each ranked where it is found;
 * - a ticket's rank is the sum of its own and its matching comments' ranks,
 *   one row per ticket (GROUP BY), the total a window count over those rows;
 * - the ticket arm carries created_at (the tie-break) out with the rank, so
 *   only a ticket found through its comments alone is looked up for it;
 * - only the page's rows are joined back to ticket, for their columns and the
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
    const byText = onlyVisibleTickets(
      repository.createQueryBuilder('text_ticket'),
      'text_ticket',
      actor,
    )
      .select('text_ticket.id', 'id')
      .addSelect(`ts_rank(text_ticket.search, ${tsQuery('q')})`, 'rank')
      .addSelect('text_ticket.created_at', 'created_at')
      .andWhere(`text_ticket.search @@ ${tsQuery('q')}`);
    const byComment = onlyVisibleComments(
      repository.manager.createQueryBuilder(CommentSchema, 'comment'),
      'comment',
      'comment_ticket',
      actor,
    )
      .select('comment.ticket_id', 'id')
      .addSelect(`ts_rank(comment.search, ${tsQuery('q')})`, 'rank')
      // Looked up below, and only for tickets found through their comments alone.
      .addSelect('NULL', 'created_at')
      .andWhere(`comment.search @@ ${tsQuery('q')}`);
    const matched = `(${byText.getQuery()} UNION ALL ${byComment.getQuery()})`;
    const parameters = { ...byText.getParameters(), ...byComment.getParameters(), q: query.q };

    // The page of hits (id, rank, tie-break) and, on each row, the total.
    // Ranks are summed in float8: exact for a few float4 ranks, so a ticket's
    // rank — and the order of equal ones — does not depend on the order the
    // plan (parallel or not) adds them in; pages stay stable.
    // created_at comes from the ticket arm; a ticket found through its
    // comments alone has only NULLs, and only then is it looked up.
    const hits = `(SELECT matched.id AS id,
                          sum(matched.rank::float8) AS rank,
                          coalesce(max(matched.created_at),
                                   (SELECT found.created_at FROM ticket found WHERE found.id = matched.id)) AS created_at,
                          count(*) OVER () AS total
                     FROM ${matched} matched
                    GROUP BY matched.id
                    ORDER BY rank DESC, created_at DESC, id DESC
                    LIMIT :searchLimit OFFSET :searchOffset)`;
    const select = onlyVisibleTickets(
      repository.createQueryBuilder('ticket').innerJoin(hits, 'hit', 'hit.id = ticket.id'),
      'ticket',
      actor,
    )
      .setParameters({
        ...parameters,
        searchLimit: query.limit,
        searchOffset: pageOffset(query),
      })
      .addSelect('hit.total', 'search_total')
      .addSelect(
        highlightOf(`ticket.title || E'\\n' || ticket.description`, 'q'),
        'search_highlight',
      )
      .orderBy('hit.rank', 'DESC')
      .addOrderBy('hit.created_at', 'DESC')
      .addOrderBy('hit.id', 'DESC');

    const { entities, raw } = await select.getRawAndEntities<SearchRow>();
    const highlights = new Map(raw.map((row) => [row.ticket_id, row.search_highlight]));
    const now = new Date();
    const found = entities.map((ticket) => ({
      ...toTicketView(ticket, now),
      highlight: String(highlights.get(ticket.id) ?? ''),
    }));
    const total = await searchTotal(raw, pageOffset(query), () =>
      this.countHits(matched, parameters),
    );
    return paginate(found, total, query);
  }

  /** The total alone, for a page past the last one. */
  private async countHits(matched: string, parameters: Record<string, unknown>): Promise<number> {
    const row = await this.tickets
      .repository()
      .manager.createQueryBuilder()
      .select('count(DISTINCT matched.id)', 'total')
      .from(matched, 'matched')
      .setParameters(parameters)
      .getRawOne<{ total: string }>();
    return Number(row?.total ?? 0);
  }
}

interface SearchRow {
  ticket_id: string;
  search_total: string;
  search_highlight: string | null;
}
