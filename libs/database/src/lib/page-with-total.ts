/** Anything that runs SQL: a DataSource, an EntityManager, a QueryRunner. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One page of a table's rows that match `where`, in `orderBy` order. */
export interface PageSelection {
  /** The columns of each row, as a select list (`id, title, created_at`). */
  columns: string;
  /** The table (or a join) the rows come from. */
  from: string;
  /** The conditions, with `$1`… placeholders into `parameters`. */
  where: string;
  parameters: unknown[];
  /** A total order: end it with a unique column, or pages overlap. */
  orderBy: string;
  offset: number;
  limit: number;
}

// Names a selection's columns cannot take: the page's own bookkeeping.
const TOTAL = 'page_total_';
const POSITION = 'page_position_';

/**
 * A page and the total of its matches from ONE statement, hence one snapshot.
 *
 * Two statements (the page, then `count(*)`) each see the table as of their own
 * start, so a row committed in between is counted but not shown: a client told
 * "11 in all" receives 10 on a one-page list, and polling for the count to
 * settle does not help. One statement sees one snapshot under READ COMMITTED.
 *
 * The count and the page stay two separate scans inside that statement: the
 * count can use an index-only scan, and the page a top-N walk of an ordered
 * index, which a window `count(*) OVER ()` would forbid (it must read every
 * match before its first row). The count's one row is joined to the page, so a
 * page past the end still returns the total. `page_position_` numbers the
 * page's rows as its ORDER BY … LIMIT produced them (an empty OVER () adds no
 * sort of its own) and carries that order out of the join.
 */
export async function pageWithTotal<Row extends object>(
  runner: SqlRunner,
  selection: PageSelection,
): Promise<{ rows: Row[]; total: number }> {
  const { columns, from, where, parameters, orderBy, offset, limit } = selection;
  const offsetAt = parameters.length + 1;
  const result = (await runner.query(
    `SELECT counted.${TOTAL}, page.*
       FROM (SELECT count(*)::int AS ${TOTAL} FROM ${from} WHERE ${where}) counted
       LEFT JOIN LATERAL (
         SELECT ordered.*, row_number() OVER () AS ${POSITION}
           FROM (SELECT ${columns} FROM ${from} WHERE ${where}
                  ORDER BY ${orderBy} OFFSET $${offsetAt} LIMIT $${offsetAt + 1}) ordered
       ) page ON true
      ORDER BY page.${POSITION}`,
    [...parameters, offset, limit],
  )) as Array<Record<string, unknown>>;
  const total = Number(result[0]?.[TOTAL] ?? 0);
  const rows = result
    .filter((row) => row[POSITION] !== null)
    .map((row) => {
      const { [TOTAL]: _total, [POSITION]: _position, ...columnsOnly } = row;
      return columnsOnly as Row;
    });
  return { rows, total };
}
