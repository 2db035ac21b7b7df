import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../domain/actor';
import { CommentSchema } from '../persistence/schemas';
import { countRows } from '../tickets/count-rows';
import { toCommentView } from '../tickets/ticket.view';
import { onlyVisibleComments } from '../tickets/visibility';
import type { CommentHit, SearchQuery } from './search.dto';
import { highlightOf, tsQuery } from './search-text';

export class SearchCommentsQuery {
  constructor(
    readonly actor: TicketActor,
    readonly query: SearchQuery,
  ) {}
}

/** Comments matching the words, best first; internal ones for staff only. */
@QueryHandler(SearchCommentsQuery)
export class SearchCommentsHandler implements IQueryHandler<
  SearchCommentsQuery,
  Paginated<CommentHit>
> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, query }: SearchCommentsQuery): Promise<Paginated<CommentHit>> {
    const select = onlyVisibleComments(
      this.dataSource
        .getRepository(CommentSchema)
        .createQueryBuilder('comment')
        .innerJoin('ticket', 'ticket', 'ticket.id = comment.ticket_id'),
      'comment',
      'ticket',
      actor,
    )
      .andWhere(`comment.search @@ ${tsQuery('q')}`, { q: query.q })
      .addSelect(`ts_rank(comment.search, ${tsQuery('q')})`, 'search_rank')
      .addSelect(highlightOf('comment.body', 'q'), 'search_highlight')
      .orderBy('search_rank', 'DESC')
      .addOrderBy('comment.created_at', 'DESC')
      .addOrderBy('comment.id', 'DESC');
    const total = await countRows(select);
    const { entities, raw } = await select
      .offset(pageOffset(query))
      .limit(query.limit)
      .getRawAndEntities();
    const hits = entities.map((comment, index) => ({
      ...toCommentView(comment),
      highlight: String((raw[index] as { search_highlight?: string }).search_highlight ?? ''),
    }));
    return paginate(hits, total, query);
  }
}
