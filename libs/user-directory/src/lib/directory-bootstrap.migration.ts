import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Whether this replica has been filled from user-service's snapshot once. */
export class CreateDirectoryBootstrap1764610000000 implements MigrationInterface {
  name = 'CreateDirectoryBootstrap1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE directory_bootstrap (
        id smallint PRIMARY KEY CHECK (id = 1),
        completed_at timestamptz NOT NULL,
        organizations integer NOT NULL,
        users integer NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS directory_bootstrap');
  }
}
