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

/** Comments of visible tickets; requesters never see internal ones. */
export function onlyVisibleComments<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  commentAlias: string,
  ticketAlias: string,
  actor: TicketActor,
): SelectQueryBuilder<T> {
  onlyVisibleTickets(query, ticketAlias, actor);
  query.andWhere(`${commentAlias}.tenant_id = :visibleTenantId`);
  if (!isStaff(actor)) query.andWhere(`${commentAlias}.internal = false`);
  return query;
}
