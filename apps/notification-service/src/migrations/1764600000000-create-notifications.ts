import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mail outbox, in-app notifications and per-user preferences. Every
 * list the API serves filters by tenant (and user) first, so the indexes start
 * with those and end with the sort key.
 */
export class CreateNotifications1764600000000 implements MigrationInterface {
  name = 'CreateNotifications1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per (cause, recipient, template): the cause is the event (event_id)
    // or the internal caller's idempotency key. recipient_key is the user id, or
    // the lower-cased address when the recipient is no directory user.
    // While `sending`, next_attempt_at is the claim's lease: a row still sending
    // after it (a crashed sender) is claimed again.
    await queryRunner.query(`
      CREATE TABLE email (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        event_id uuid,
        idempotency_key text,
        recipient_user_id uuid,
        recipient_key text NOT NULL,
        "to" text NOT NULL,
        to_name text,
        template text NOT NULL,
        subject text NOT NULL,
        html text NOT NULL,
        text text NOT NULL,
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_email_event_recipient_template UNIQUE (event_id, recipient_key, template),
        CONSTRAINT uq_email_tenant_idempotency_key UNIQUE (tenant_id, idempotency_key)
      )`);
    // What the sender scans: only rows that still have to go.
    await queryRunner.query(
      `CREATE INDEX idx_email_due ON email (next_attempt_at)
        WHERE status IN ('queued', 'failed', 'sending')`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_email_tenant_created ON email (tenant_id, created_at DESC, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        ticket_id uuid,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_notification_event_user UNIQUE (event_id, user_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_notification_user_created ON notification (tenant_id, user_id, created_at DESC, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_notification_user_unread ON notification (tenant_id, user_id, created_at DESC)
        WHERE read_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE notification_preference (
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        ticket_created boolean NOT NULL,
        ticket_assigned boolean NOT NULL,
        ticket_status_changed boolean NOT NULL,
        comment_added boolean NOT NULL,
        sla_breached boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['notification_preference', 'notification', 'email'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
