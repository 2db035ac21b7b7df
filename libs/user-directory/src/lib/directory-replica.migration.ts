import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CreateDirectoryBootstrap1764610000000 } from './directory-bootstrap.migration';

/**
 * What ticket-service knows of user-service's directory, fed by its events:
 * enough to check assignees, requesters and departments and to run SLA clocks
 * in the organization's business hours — without a call per request.
 * `version` is the source aggregate's version (applyIfNewer); deleted rows
 * stay as tombstones so that tickets keep a name for who asked.
 */
export class CreateDirectoryReplica1764580000001 implements MigrationInterface {
  name = 'CreateDirectoryReplica1764580000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE directory_organization (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        business_hours jsonb,
        timezone text NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE directory_user (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        department_id uuid,
        active boolean NOT NULL,
        deleted_at timestamptz,
        version integer NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_directory_user_tenant ON directory_user (tenant_id, role)`,
    );
    await queryRunner.query(`
      CREATE TABLE directory_department (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        deleted_at timestamptz,
        version integer NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['directory_department', 'directory_user', 'directory_organization'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}

/** Add to the service's migrations (after its own or before: the tables are independent). */
export const userDirectoryMigrations = [
  CreateDirectoryReplica1764580000001,
  CreateDirectoryBootstrap1764610000000,
];
