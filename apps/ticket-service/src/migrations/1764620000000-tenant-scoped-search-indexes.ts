import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search within one organization. The first search indexes covered every
 * organization's text, so a common word first found all organizations'
 * matches (42,572 for "printer" against the 9,601 of the organization that
 * asked) and then threw most away. btree_gin (a trusted contrib extension)
 * lets one GIN index start with tenant_id: measured 237 ms → 60–76 ms for
 * that query on 100,000 tickets.
 */
export class TenantScopedSearchIndexes1764620000000 implements MigrationInterface {
  name = 'TenantScopedSearchIndexes1764620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
    await queryRunner.query(
      'CREATE INDEX idx_ticket_tenant_search ON ticket USING gin (tenant_id, search)',
    );
    await queryRunner.query(
      'CREATE INDEX idx_comment_tenant_search ON comment USING gin (tenant_id, search)',
    );
    await queryRunner.query('DROP INDEX IF EXISTS idx_ticket_search');
    await queryRunner.query('DROP INDEX IF EXISTS idx_comment_search');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX idx_ticket_search ON ticket USING gin (search)');
    await queryRunner.query('CREATE INDEX idx_comment_search ON comment USING gin (search)');
    await queryRunner.query('DROP INDEX IF EXISTS idx_ticket_tenant_search');
    await queryRunner.query('DROP INDEX IF EXISTS idx_comment_tenant_search');
  }
}
