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

/** …and the totals the list handler runs beside them (at most every LIST_TOTAL_CACHE_MS per filter). */
export const LIST_COUNT = `SELECT count(*) AS "total" FROM "ticket" "ticket" WHERE ticket.tenant_id = $1`;
export const LIST_STATUS_COUNT = `SELECT count(*) AS "total" FROM "ticket" "ticket" WHERE ticket.tenant_id = $1 AND "ticket"."status" = $2`;

/** GET /tickets/:id. $1 tenant, $2 id. */
export const GET_ONE = `SELECT ${TICKET_COLUMNS} FROM "ticket" "ticket" WHERE ticket.tenant_id = $1 AND "ticket"."id" = $2`;

const q = `websearch_to_tsquery('english', $1)`;
const highlight = `ts_headline('english', replace(replace(replace(replace("ticket"."title" || E'\\n' || "ticket"."description", '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), ${q},
     'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "')`;
/** A staff member's matching search documents (ticket_search: a ticket's own text and every comment's). */
const documents = `FROM "ticket_search" "document" WHERE document.tenant_id = $2 AND document.staff_text @@ ${q}`;
/**
 * GET /search/tickets?q=… (a staff member, page 1 of 20): one statement for
 * the page, best first, with highlights, and the total (a window count on
 * every row). $1 q, $2 tenant.
 */
export const SEARCH_PAGE = `SELECT ${TICKET_COLUMNS}, hit.total AS "search_total", ${highlight} AS "search_highlight"
  FROM "ticket" "ticket" INNER JOIN (SELECT "document"."ticket_id" AS "id",
      ts_rank(document.staff_text, ${q}) AS "rank", "document"."created_at" AS "created_at",
      count(*) OVER () AS "total"
    ${documents}
    ORDER BY rank DESC, document.created_at DESC, document.ticket_id DESC
    LIMIT 20 OFFSET 0) "hit" ON hit.id = "ticket"."id"
  WHERE "ticket"."tenant_id" = $2 ORDER BY hit.rank DESC, hit.created_at DESC, hit.id DESC`;

/**
 * The total alone: the service runs it only for a page past the last one
 * (an empty page carries no total). $1 q, $2 tenant.
 */
export const SEARCH_COUNT = `SELECT count(*) AS "total" ${documents}`;

/** The create: one ticket-shaped row (the trigger fills its search vector). */
export const INSERT_TICKET = `INSERT INTO ticket (id, tenant_id, number, title, description, status, priority, priority_rank, tags,
    requester_id, assignee_id, department_id, created_at, updated_at, first_response_at, resolved_at, closed_at,
    sla_clocks, first_response_due_at, resolution_due_at, first_response_breached, resolution_breached, version)
  VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, NULL, NULL, $10, $10, NULL, NULL, NULL, $11, $12, $13, false, false, 1)`;
