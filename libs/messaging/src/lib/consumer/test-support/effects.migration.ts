import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the fixture handlers write: one row per effect, so tests count effects in the database. */
export class CreateFixtureEffects1763863300000 implements MigrationInterface {
  name = 'CreateFixtureEffects1763863300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE effects (
        id bigserial PRIMARY KEY,
        handler text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE effects`);
  }
}
