import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox: one row per event a consumer has processed, written in the same
 * transaction as the handlers' effects. Its primary key is what makes a
 * redelivered event harmless.
 */
export class CreateInbox1763863200000 implements MigrationInterface {
  name = 'CreateInbox1763863200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
    // Retention deletes by age; without this index each purge would scan the table.
    await queryRunner.query(`CREATE INDEX inbox_received_at_idx ON inbox (received_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox`);
  }
}

/** The last aggregateVersion each projection applied per aggregate (see applyIfNewer). */
export class CreateAppliedVersions1763863200001 implements MigrationInterface {
  name = 'CreateAppliedVersions1763863200001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE applied_versions (
        projection text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        version integer NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, aggregate_type, aggregate_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE applied_versions`);
  }
}

/** List these in the consuming service's `DatabaseModule.forService({ migrations })`. */
export const consumerMigrations = [CreateInbox1763863200000, CreateAppliedVersions1763863200001];
