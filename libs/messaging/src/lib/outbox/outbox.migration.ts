import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox: integration events written in the transaction that caused
 * them, published to RabbitMQ by the relay afterwards.
 */
export class CreateOutbox1763863100000 implements MigrationInterface {
  name = 'CreateOutbox1763863100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        event_type text NOT NULL,
        event_version integer NOT NULL,
        exchange text NOT NULL,
        routing_key text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        aggregate_version integer NOT NULL,
        tenant_id text NOT NULL,
        envelope jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now()
      )`);
    // What the relay claims, in commit order: small, because published rows leave it.
    await queryRunner.query(
      `CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL`,
    );
    // The per-aggregate order rule looks for an earlier pending row of the same aggregate.
    await queryRunner.query(
      `CREATE INDEX outbox_pending_aggregate_idx ON outbox (aggregate_type, aggregate_id, seq)
         WHERE published_at IS NULL`,
    );
    // Retention deletes published rows by age.
    await queryRunner.query(
      `CREATE INDEX outbox_published_at_idx ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
  }
}

/** List these in the publishing service's `DatabaseModule.forService({ migrations })`. */
export const outboxMigrations = [CreateOutbox1763863100000];
