import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every comment rewrites its ticket's search document, and the GIN index on
 * it makes each rewrite a new row version: the old one stays, dead, in the
 * heap and in the index until a vacuum. A search visits every candidate the
 * index gives, dead ones too. With half the documents dead (the benchmark's
 * seed before it vacuumed), "printer" got 3,253 candidates for 1,638 matches
 * and the ranked page took 8.9 ms instead of 5.4 ms.
 *
 * At the default scale factors autovacuum waits for 20 % of the table to be
 * dead (20,000 documents at 100,000 tickets), and after inserts alone for
 * 20 % more rows. 2 % keeps the dead share, and the GIN pending list that
 * the same vacuum merges, small. Each such vacuum reads only the heap pages
 * changed since the last one (the visibility map) and this table's three
 * indexes (~27 MB for the benchmark's 109,000 documents).
 */
export const SEARCH_DOCUMENT_VACUUM_SCALE_FACTOR = 0.02;

const OPTIONS = ['autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_insert_scale_factor'];

export class SearchDocumentsVacuumedEarly1764910000000 implements MigrationInterface {
  name = 'SearchDocumentsVacuumedEarly1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const settings = OPTIONS.map(
      (option) => `${option} = ${SEARCH_DOCUMENT_VACUUM_SCALE_FACTOR}`,
    ).join(', ');
    await queryRunner.query(`ALTER TABLE ticket_search SET (${settings})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ticket_search RESET (${OPTIONS.join(', ')})`);
  }
}
