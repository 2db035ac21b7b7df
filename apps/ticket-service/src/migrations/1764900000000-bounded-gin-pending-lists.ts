import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every GIN index here is read by requests (search, the list's `q` and `tag`
 * filters), and every such read scans the index's whole pending list: the
 * entries `fastupdate` has appended but not merged yet. At PostgreSQL's
 * default limit of 4 MB the search documents' list reached 477 pages after a
 * benchmark's creates, and a "printer" search on 100,000 tickets took 8.4 ms
 * instead of 6.1 ms once merged; the write that finally crosses the limit
 * merges all of it, inside somebody's request.
 *
 * 256 kB (32 pages) bounds both: a search pays a few percent at most and a
 * merge is 16 times smaller. Ticket inserts kept their rate (pgbench, 4
 * clients: 3,120–3,220/s with it, 2,810–3,310/s without); turning
 * `fastupdate` off instead gave 2,520–2,800/s.
 */
export const GIN_PENDING_LIST_LIMIT_KB = 256;

const GIN_INDEXES = [
  'idx_ticket_tags',
  'idx_ticket_tenant_search',
  'idx_comment_tenant_search',
  'idx_ticket_search_tenant_staff_text',
];

export class BoundedGinPendingLists1764900000000 implements MigrationInterface {
  name = 'BoundedGinPendingLists1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const index of GIN_INDEXES)
      await queryRunner.query(
        `ALTER INDEX ${index} SET (gin_pending_list_limit = ${GIN_PENDING_LIST_LIMIT_KB})`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of GIN_INDEXES)
      await queryRunner.query(`ALTER INDEX ${index} RESET (gin_pending_list_limit)`);
  }
}
