import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isStaff, type TicketActor } from '../domain/actor';

/**
 * THE visibility rule, written once and used by every read path — list,
 * detail, inbox, search, comments — so that they cannot disagree:
 * nobody sees another organization's tickets; a requester sees only the
 * tickets they requested.
 */
export function onlyVisibleTickets<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  ticketAlias: string,
  actor: TicketActor,
): SelectQueryBuilder<T> {
  query.andWhere(`${ticketAlias}.tenant_id = :visibleTenantId`, {
    visibleTenantId: actor.organizationId,
  });
  if (!isStaff(actor))
    query.andWhere(`${ticketAlias}.requester_id = :visibleRequesterId`, {
      visibleRequesterId: actor.userId,
    });
  return query;
}

/**
 * Comments of visible tickets; requesters never see internal ones.
 *
 * A comment's tenant_id is its ticket's (a composite foreign key guarantees
 * it), so staff, who see every ticket of their organization, need nothing
 * but it — no join, which was most of a staff search's cost. Only a
 * requester's comments need their ticket (theirs only): it is joined here, as
 * `ticketAlias`, for them alone; callers do not join it.
 */
export function onlyVisibleComments<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  commentAlias: string,
  ticketAlias: string,
  actor: TicketActor,
): SelectQueryBuilder<T> {
  query.andWhere(`${commentAlias}.tenant_id = :visibleTenantId`, {
    visibleTenantId: actor.organizationId,
  });
  if (isStaff(actor)) return query;
  query.innerJoin('ticket', ticketAlias, `${ticketAlias}.id = ${commentAlias}.ticket_id`);
  onlyVisibleTickets(query, ticketAlias, actor);
  return query.andWhere(`${commentAlias}.internal = false`);
}

/**
 * Which of a ticket's search documents (`ticket_search`) the caller may
 * search: staff, every comment's words; a requester, the public comments'
 * only — the same rule as onlyVisibleComments, kept by the database in two
 * vectors. A document's tenant_id and requester_id are its ticket's, so
 * onlyVisibleTickets scopes documents as it scopes tickets.
 */
export function searchableTextOf(documentAlias: string, actor: TicketActor): string {
  return `${documentAlias}.${isStaff(actor) ? 'staff_text' : 'public_text'}`;
}
