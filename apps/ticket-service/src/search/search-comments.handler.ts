import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { CommentSchema } from '../persistence/schemas';
import { countRows } from '../tickets/count-rows';
import { toCommentView } from '../tickets/ticket.view';
import { onlyVisibleComments } from '../tickets/visibility';
import type { CommentHit, SearchQuery } from './search.dto';
import { highlightOf, tsQuery, searchTotal } from './search-text';

export class SearchCommentsQuery {
  constructor(
    readonly actor: TicketActor,
    readonly query: SearchQuery,
  ) {}
}

/**
 * Comments matching the words, best first; internal ones for staff only.
 * One statement for the page and its total: the matches, ranked, narrow
 * (id, rank, tie-break) and counted by a window; their page sorted top-N; only
 * that page's comments read in full, with the (expensive) ts_headline.
 */
@QueryHandler(SearchCommentsQuery)
export class SearchCommentsHandler implements IQueryHandler<
  SearchCommentsQuery,
  Paginated<CommentHit>
> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, query }: SearchCommentsQuery): Promise<Paginated<CommentHit>> {
    const repository = this.dataSource.getRepository(CommentSchema);
    const matches = onlyVisibleComments(
      repository.createQueryBuilder('comment'),
      'comment',
      'ticket',
      actor,
    )
      .select('comment.id', 'id')
      .addSelect(`ts_rank(comment.search, ${tsQuery('q')})`, 'rank')
      .addSelect('comment.created_at', 'created_at')
      .addSelect('count(*) OVER ()', 'total')
      .andWhere(`comment.search @@ ${tsQuery('q')}`, { q: query.q });
    // The window in a level of its own: sorting in the same level as the
    // window would sort every match in full instead of keeping the top N.
    const page = `(SELECT counted.* FROM (${matches.getQuery()}) counted
                    ORDER BY counted.rank DESC, counted.created_at DESC, counted.id DESC
                    LIMIT :searchLimit OFFSET :searchOffset)`;
    const { entities, raw } = await repository
      .createQueryBuilder('comment')
      .innerJoin(page, 'hit', 'hit.id = comment.id')
      .setParameters({
        ...matches.getParameters(),
        searchLimit: query.limit,
        searchOffset: pageOffset(query),
      })
      .addSelect('hit.total', 'search_total')
      .addSelect(highlightOf('comment.body', 'q'), 'search_highlight')
      .orderBy('hit.rank', 'DESC')
      .addOrderBy('hit.created_at', 'DESC')
      .addOrderBy('hit.id', 'DESC')
      .getRawAndEntities<SearchRow>();
    const highlights = new Map(raw.map((row) => [row.comment_id, row.search_highlight]));
    const hits = entities.map((comment) => ({
      ...toCommentView(comment),
      highlight: String(highlights.get(comment.id) ?? ''),
    }));
    const total = await searchTotal(raw, pageOffset(query), () => countRows(matches));
    return paginate(hits, total, query);
  }
}

interface SearchRow {
  comment_id: string;
  search_total: string;
  search_highlight: string | null;
}
