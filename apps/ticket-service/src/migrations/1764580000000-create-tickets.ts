import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tickets, their comments and the per-organization number sequence. Every
 * list query of the contract filters by tenant first, so every index starts
 * with tenant_id and ends with the sort key the list uses.
 */
export class CreateTickets1764580000000 implements MigrationInterface {
  name = 'CreateTickets1764580000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Gapless numbers: taken with UPDATE … RETURNING in the creating transaction;
    // a rollback gives the number back, concurrent creates queue on the row lock.
    await queryRunner.query(`
      CREATE TABLE ticket_counter (
        tenant_id uuid PRIMARY KEY,
        last_number integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ticket (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        number integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'in_progress', 'pending', 'resolved', 'closed')),
        priority text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        priority_rank smallint NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        requester_id uuid NOT NULL,
        assignee_id uuid,
        department_id uuid,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        first_response_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        sla_clocks jsonb NOT NULL,
        first_response_due_at timestamptz,
        resolution_due_at timestamptz,
        first_response_breached boolean NOT NULL DEFAULT false,
        resolution_breached boolean NOT NULL DEFAULT false,
        version integer NOT NULL,
        search tsvector NOT NULL DEFAULT ''::tsvector,
        CONSTRAINT uq_ticket_tenant_id_number UNIQUE (tenant_id, number)
      )`);
    for (const [name, columns] of [
      ['idx_ticket_tenant_created', 'tenant_id, created_at DESC, id'],
      ['idx_ticket_tenant_updated', 'tenant_id, updated_at DESC, id'],
      ['idx_ticket_tenant_priority', 'tenant_id, priority_rank DESC, created_at DESC, id'],
      ['idx_ticket_tenant_status_created', 'tenant_id, status, created_at DESC, id'],
      ['idx_ticket_tenant_requester_created', 'tenant_id, requester_id, created_at DESC, id'],
      ['idx_ticket_tenant_assignee_status', 'tenant_id, assignee_id, status, created_at DESC'],
      ['idx_ticket_tenant_department_created', 'tenant_id, department_id, created_at DESC'],
    ])
      await queryRunner.query(`CREATE INDEX ${name} ON ticket (${columns})`);
    await queryRunner.query(`CREATE INDEX idx_ticket_tags ON ticket USING gin (tags)`);
    await queryRunner.query(`CREATE INDEX idx_ticket_search ON ticket USING gin (search)`);
    // What the SLA sweeper scans: open targets only.
    await queryRunner.query(
      `CREATE INDEX idx_ticket_first_response_due ON ticket (first_response_due_at)
         WHERE NOT first_response_breached AND first_response_at IS NULL AND first_response_due_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_ticket_resolution_due ON ticket (resolution_due_at)
         WHERE NOT resolution_breached AND resolution_due_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE comment (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ticket_id uuid NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
        author_id uuid NOT NULL,
        body text NOT NULL,
        internal boolean NOT NULL,
        created_at timestamptz NOT NULL,
        search tsvector NOT NULL DEFAULT ''::tsvector
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_comment_ticket_created ON comment (ticket_id, created_at, id)`,
    );
    await queryRunner.query(`CREATE INDEX idx_comment_search ON comment USING gin (search)`);
    await queryRunner.query(
      `CREATE INDEX idx_comment_tenant_author ON comment (tenant_id, author_id)`,
    );
    // Search vectors kept by the database itself, so no write path can forget them:
    // a ticket's title weighs most (A), its description next (B); comments have their own.
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search := setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
                   || setweight(to_tsvector('english', coalesce(NEW.description, '')), 'B');
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_vector BEFORE INSERT OR UPDATE OF title, description ON ticket
        FOR EACH ROW EXECUTE FUNCTION ticket_search_vector()`);
    await queryRunner.query(`
      CREATE FUNCTION comment_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search := setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER comment_search_vector BEFORE INSERT OR UPDATE OF body ON comment
        FOR EACH ROW EXECUTE FUNCTION comment_search_vector()`);
    // A retried create with the same key answers what the first one answered, for 24 h.
    await queryRunner.query(`
      CREATE TABLE idempotency_key (
        tenant_id uuid NOT NULL,
        actor_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, actor_id, key)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_idempotency_key_expires ON idempotency_key (expires_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE sla_policy (
        tenant_id uuid PRIMARY KEY,
        policies jsonb NOT NULL,
        business_hours_only boolean NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sla_policy', 'idempotency_key', 'comment', 'ticket', 'ticket_counter'])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    await queryRunner.query('DROP FUNCTION IF EXISTS ticket_search_vector, comment_search_vector');
  }
}
