import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { parseSort, pageOffset, paginate, type Paginated } from '@helpdesk/http';
import type { TicketActor } from '../../domain/actor';
import { isStaff } from '../../domain/actor';
import { countRows } from '../count-rows';
import { ListTotals } from '../list-totals';
import { TicketStore } from '../ticket-store';
import { TICKET_SORTS, type ListTicketsQuery } from '../tickets.dto';
import type { TicketView } from '../ticket.view';
import { ticketViews } from '../ticket-views';
import { onlyVisibleTickets } from '../visibility';

export class ListTicketsQueryMessage {
  constructor(
    readonly actor: TicketActor,
    readonly query: ListTicketsQuery,
    /** The inbox: the caller's open work. */
    readonly inboxOf?: string,
  ) {}
}

const SORT_COLUMNS = {
  createdAt: 'ticket.created_at',
  updatedAt: 'ticket.updated_at',
  priority: 'ticket.priority_rank',
} as const;

/**
 * GET /tickets and GET /tickets/inbox. Every filter is a condition the
 * tenant-first indexes serve; the order always ends with creation time and
 * id, so pages are stable.
 */
@QueryHandler(ListTicketsQueryMessage)
export class ListTicketsHandler implements IQueryHandler<
  ListTicketsQueryMessage,
  Paginated<TicketView>
> {
  constructor(
    private readonly tickets: TicketStore,
    private readonly totals: ListTotals,
  ) {}

  async execute({
    actor,
    query,
    inboxOf,
  }: ListTicketsQueryMessage): Promise<Paginated<TicketView>> {
    const select = onlyVisibleTickets(
      this.tickets.repository().createQueryBuilder('ticket'),
      'ticket',
      actor,
    );
    if (inboxOf) {
      select.andWhere('ticket.assignee_id = :inboxOf', { inboxOf });
      select.andWhere(`ticket.status NOT IN ('resolved', 'closed')`);
    }
    if (query.status) select.andWhere('ticket.status = :status', { status: query.status });
    if (query.priority)
      select.andWhere('ticket.priority = :priority', { priority: query.priority });
    if (query.assigneeId === 'none') select.andWhere('ticket.assignee_id IS NULL');
    else if (query.assigneeId)
      select.andWhere('ticket.assignee_id = :assigneeId', { assigneeId: query.assigneeId });
    if (query.requesterId)
      select.andWhere('ticket.requester_id = :requesterId', { requesterId: query.requesterId });
    if (query.departmentId)
      select.andWhere('ticket.department_id = :departmentId', { departmentId: query.departmentId });
    if (query.tag)
      select.andWhere('ticket.tags @> ARRAY[:tag]::text[]', {
        tag: query.tag.trim().toLowerCase(),
      });
    if (query.q)
      select.andWhere(`ticket.search @@ websearch_to_tsquery('english', :q)`, { q: query.q });

    const { field, direction } = parseSort(query.sort, TICKET_SORTS, '-createdAt');
    select.orderBy(SORT_COLUMNS[field], direction);
    if (field !== 'createdAt') select.addOrderBy('ticket.created_at', 'DESC');
    select.addOrderBy('ticket.id', direction);
    select.offset(pageOffset(query)).limit(query.limit);

    // Keyed by everything that decides the rows: who may see them and every filter.
    const totalKey = JSON.stringify({
      visibleTo: isStaff(actor) ? null : actor.userId,
      inboxOf,
      query,
    });
    const [items, total] = await Promise.all([
      // countRows works on its own clone, so the page may take `select` as it is.
      ticketViews(select, 'ticket'),
      this.totals.total(actor.organizationId, totalKey, () => countRows(select)),
    ]);
    return paginate(items, total, query);
  }
}
