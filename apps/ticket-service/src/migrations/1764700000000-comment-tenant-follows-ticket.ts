import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A comment's organization is its ticket's — now a database rule, not only
 * the application's habit. Staff read comments scoped by `comment.tenant_id`
 * alone (no join to the ticket: that join was most of a staff search's cost),
 * so a comment filed under another organization than its ticket's would leak
 * across tenants. The composite foreign key makes such a row impossible.
 */
export class CommentTenantFollowsTicket1764700000000 implements MigrationInterface {
  name = 'CommentTenantFollowsTicket1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE ticket ADD CONSTRAINT uq_ticket_id_tenant UNIQUE (id, tenant_id)',
    );
    await queryRunner.query(
      `ALTER TABLE comment ADD CONSTRAINT fk_comment_ticket_tenant
         FOREIGN KEY (ticket_id, tenant_id) REFERENCES ticket (id, tenant_id) ON DELETE CASCADE`,
    );
    // The composite key covers everything the single-column one did.
    await queryRunner.query('ALTER TABLE comment DROP CONSTRAINT comment_ticket_id_fkey');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE comment ADD CONSTRAINT comment_ticket_id_fkey
         FOREIGN KEY (ticket_id) REFERENCES ticket (id) ON DELETE CASCADE`,
    );
    await queryRunner.query('ALTER TABLE comment DROP CONSTRAINT fk_comment_ticket_tenant');
    await queryRunner.query('ALTER TABLE ticket DROP CONSTRAINT uq_ticket_id_tenant');
  }
}
