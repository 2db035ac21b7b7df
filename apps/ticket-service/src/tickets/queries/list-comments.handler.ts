import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { inOneSnapshot } from '@helpdesk/database';
import { pageOffset, paginate, type PageRequest, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../../domain/actor';
import { CommentSchema } from '../../persistence/schemas';
import { countRows } from '../count-rows';
import { TicketStore } from '../ticket-store';
import { toCommentView, type CommentView } from '../ticket.view';
import { onlyVisibleComments } from '../visibility';

export class ListCommentsQuery {
  constructor(
    readonly actor: TicketActor,
    readonly ticketId: string,
    readonly page: PageRequest,
  ) {}
}

/** A ticket's comments, oldest first; internal ones only for staff. */
@QueryHandler(ListCommentsQuery)
export class ListCommentsHandler implements IQueryHandler<
  ListCommentsQuery,
  Paginated<CommentView>
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketStore,
  ) {}

  async execute({ actor, ticketId, page }: ListCommentsQuery): Promise<Paginated<CommentView>> {
    await this.tickets.visible(ticketId, actor); // 404 for a ticket the caller may not see
    // The page and its total from one snapshot: a comment added meanwhile is in both or neither.
    const [items, total] = await inOneSnapshot(this.dataSource, async (manager) => {
      const select = onlyVisibleComments(
        manager.getRepository(CommentSchema).createQueryBuilder('comment'),
        'comment',
        'ticket',
        actor,
      )
        .andWhere('comment.ticket_id = :ticketId', { ticketId })
        .orderBy('comment.created_at', 'ASC')
        .addOrderBy('comment.id', 'ASC')
        .offset(pageOffset(page))
        .limit(page.limit);
      return [await select.getMany(), await countRows(select)] as const;
    });
    return paginate(items.map(toCommentView), total, page);
  }
}
