/**
 * The SQL ticket-service issues (as TypeORM renders it from
 * apps/ticket-service/src/tickets/queries/*.handler.ts and
 * src/search/search-tickets.handler.ts, snake_case columns), written out so
 * the bare ceiling server runs exactly the same statements. If those handlers
 * change, change these: the ceiling must do the service's database work.
 */
export const TICKET_COLUMNS = [
  'id',
  'tenant_id',
  'number',
  'title',
  'description',
  'status',
  'priority',
  'priority_rank',
  'tags',
  'requester_id',
  'assignee_id',
  'department_id',
  'created_at',
  'updated_at',
  'first_response_at',
  'resolved_at',
  'closed_at',
  'sla_clocks',
  'first_response_due_at',
  'resolution_due_at',
  'first_response_breached',
  'resolution_breached',
  'version',
]
  .map((column) => `"ticket"."${column}" AS "ticket_${column}"`)
  .join(', ');

/** GET /tickets (default sort -createdAt, page 1, 20 per page): the page. $1 tenant. */
export const LIST_PAGE = `SELECT ${TICKET_COLUMNS} FROM "ticket" "ticket" WHERE ticket.tenant_id = $1
  ORDER BY ticket.created_at DESC, "ticket"."id" DESC LIMIT 20 OFFSET 0`;

/** GET /tickets?status=…: the page. $1 tenant, $2 status. */
export const LIST_STATUS_PAGE = `SELECT ${TICKET_COLUMNS} FROM "ticket" "ticket" WHERE ticket.tenant_id = $1 AND "ticket"."status" = $2
  ORDER BY ticket.created_at DESC, "ticket"."id" DESC LIMIT 20 OFFSET 0`;

/** …and the total the list handler runs beside it (TypeORM's getCount()). */
export const LIST_COUNT = `SELECT COUNT(DISTINCT("ticket"."id")) AS "cnt" FROM "ticket" "ticket" WHERE ticket.tenant_id = $1`;
export const LIST_STATUS_COUNT = `SELECT COUNT(DISTINCT("ticket"."id")) AS "cnt" FROM "ticket" "ticket" WHERE ticket.tenant_id = $1 AND "ticket"."status" = $2`;

/** GET /tickets/:id. $1 tenant, $2 id. */
export const GET_ONE = `SELECT ${TICKET_COLUMNS} FROM "ticket" "ticket" WHERE ticket.tenant_id = $1 AND "ticket"."id" = $2`;

const q = `websearch_to_tsquery('english', $1)`;
const commentRank = `coalesce((SELECT max(ts_rank(comment.search, ${q})) FROM "comment" "comment"
  WHERE ticket.tenant_id = $2 AND comment.tenant_id = $2 AND comment.ticket_id = "ticket"."id" AND comment.search @@ ${q}), 0)`;
const searchWhere = `WHERE ticket.tenant_id = $2 AND (ticket.search @@ ${q} OR ${commentRank} > 0)`;

/** GET /search/tickets?q=… (a staff member): the page, best first, with highlights. $1 q, $2 tenant. */
export const SEARCH_PAGE = `SELECT ${TICKET_COLUMNS}, ts_rank(ticket.search, ${q}) + ${commentRank} AS "search_rank",
  ts_headline('english', replace(replace(replace(replace("ticket"."title" || E'\\n' || "ticket"."description", '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), ${q},
    'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "') AS "search_highlight"
  FROM "ticket" "ticket" ${searchWhere}
  ORDER BY "search_rank" DESC, ticket.created_at DESC, "ticket"."id" DESC LIMIT 20 OFFSET 0`;

/** …and its total (run before the page). */
export const SEARCH_COUNT = `SELECT COUNT(DISTINCT("ticket"."id")) AS "cnt" FROM "ticket" "ticket" ${searchWhere}`;

/**
 * Not what the service runs — what the same search costs when the candidates
 * come from the two GIN indexes (ticket.search, comment.search) instead of a
 * correlated sub-select per ticket of the organization. For the diagnosis only.
 */
export const SEARCH_PAGE_VIA_INDEXES = `WITH hits AS (
    SELECT id FROM ticket WHERE tenant_id = $2 AND search @@ ${q}
    UNION SELECT ticket_id FROM comment WHERE tenant_id = $2 AND search @@ ${q})
  SELECT ${TICKET_COLUMNS}, ts_rank(ticket.search, ${q}) + ${commentRank} AS "search_rank"
  FROM hits JOIN "ticket" "ticket" ON ticket.id = hits.id AND ticket.tenant_id = $2
  ORDER BY "search_rank" DESC, ticket.created_at DESC, "ticket"."id" DESC LIMIT 20`;

/** The create: one ticket-shaped row (the trigger fills its search vector). */
export const INSERT_TICKET = `INSERT INTO ticket (id, tenant_id, number, title, description, status, priority, priority_rank, tags,
    requester_id, assignee_id, department_id, created_at, updated_at, first_response_at, resolved_at, closed_at,
    sla_clocks, first_response_due_at, resolution_due_at, first_response_breached, resolution_breached, version)
  VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, NULL, NULL, $10, $10, NULL, NULL, NULL, $11, $12, $13, false, false, 1)`;
