import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions whose access tokens must be refused before they expire. A row is
 * needed only while a token of the session can still be alive (`expires_at`),
 * so the table stays small; every replica polls it by `revoked_at`.
 */
export class CreateRevokedSession1764000000000 implements MigrationInterface {
  name = 'CreateRevokedSession1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE revoked_session (
        session_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        revoked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamptz NOT NULL
      )`);
    // The poll reads what was revoked since it last looked.
    await queryRunner.query(
      `CREATE INDEX idx_revoked_session_revoked_at ON revoked_session (revoked_at)`,
    );
    // The sweep deletes what no token can outlive.
    await queryRunner.query(
      `CREATE INDEX idx_revoked_session_expires_at ON revoked_session (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE revoked_session`);
  }
}

/** List these in the service's `DatabaseModule.forService({ migrations })`. */
export const authMigrations = [CreateRevokedSession1764000000000];
