import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit log and each organization's retention setting.
 * Every read of the contract filters by tenant first, so every index starts
 * with tenant_id and ends with the order the read uses.
 */
export class CreateAuditLog1764590000000 implements MigrationInterface {
  name = 'CreateAuditLog1764590000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_entry (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        event_id uuid NOT NULL CONSTRAINT uq_audit_entry_event_id UNIQUE,
        event_type text NOT NULL,
        entity_type text NOT NULL,
        entity_id text NOT NULL,
        aggregate_version integer,
        actor_id text,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'service', 'system')),
        action text NOT NULL,
        changes jsonb,
        payload jsonb,
        ip text,
        user_agent text,
        correlation_id text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [name, columns] of [
      ['idx_audit_entry_tenant_entity', 'tenant_id, entity_type, entity_id, occurred_at, id'],
      ['idx_audit_entry_tenant_actor', 'tenant_id, actor_id, occurred_at'],
      ['idx_audit_entry_tenant_occurred', 'tenant_id, occurred_at, id'],
      ['idx_audit_entry_tenant_event_type', 'tenant_id, event_type, occurred_at'],
      ['idx_audit_entry_tenant_action', 'tenant_id, action, occurred_at'],
    ])
      await queryRunner.query(`CREATE INDEX ${name} ON audit_entry (${columns})`);

    // Append-only in the database too: no UPDATE, no TRUNCATE, and DELETE only
    // from the retention job, which says so with SET LOCAL audit.retention = 'on'.
    await queryRunner.query(`
      CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND current_setting('audit.retention', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
          USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);

    await queryRunner.query(`
      CREATE TABLE audit_retention (
        tenant_id uuid PRIMARY KEY,
        keep_days integer CHECK (keep_days BETWEEN 1 AND 36500),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_retention');
    await queryRunner.query('DROP TABLE audit_entry');
    await queryRunner.query('DROP FUNCTION audit_entry_append_only()');
  }
}
