import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity schema. Every tenant-owned row carries `tenant_id`, and every
 * foreign key to a tenant-owned row includes it, so a row can never point
 * into another organization even if application code got it wrong.
 */
export class CreateIdentity1764576000000 implements MigrationInterface {
  name = 'CreateIdentity1764576000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        slug text NOT NULL,
        allow_self_registration boolean NOT NULL DEFAULT false,
        business_hours jsonb,
        timezone text NOT NULL DEFAULT 'UTC',
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_organization_slug UNIQUE (slug)
      )`);
    await queryRunner.query(`
      CREATE TABLE department (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_department_tenant_id_id UNIQUE (tenant_id, id)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_department_tenant_id_name ON department (tenant_id, lower(name))`,
    );
    await queryRunner.query(`
      CREATE TABLE "user" (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('requester', 'agent', 'manager', 'admin')),
        department_id uuid,
        password_hash text,
        active boolean NOT NULL DEFAULT true,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT uq_user_tenant_id_email UNIQUE (tenant_id, email),
        CONSTRAINT uq_user_tenant_id_id UNIQUE (tenant_id, id),
        CONSTRAINT fk_user_department FOREIGN KEY (tenant_id, department_id)
          REFERENCES department (tenant_id, id) ON DELETE SET NULL (department_id)
      )`);
    await queryRunner.query(`CREATE INDEX idx_user_tenant_id_role ON "user" (tenant_id, role)`);
    await queryRunner.query(
      `CREATE INDEX idx_user_tenant_id_created_at ON "user" (tenant_id, created_at, id)`,
    );
    await queryRunner.query(`
      CREATE TABLE session (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        last_used_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoke_reason text,
        user_agent text,
        ip text,
        CONSTRAINT fk_session_user FOREIGN KEY (tenant_id, user_id)
          REFERENCES "user" (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_session_user_id ON session (user_id, created_at) WHERE revoked_at IS NULL`,
    );
    // Every refresh token a session was given. Only the newest one works; a
    // rotated one presented again means it was stolen (reuse detection).
    await queryRunner.query(`
      CREATE TABLE refresh_token (
        token_hash text PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        issued_at timestamptz NOT NULL,
        rotated_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_refresh_token_session_id ON refresh_token (session_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE one_time_token (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        user_id uuid NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        CONSTRAINT uq_one_time_token_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_one_time_token_user FOREIGN KEY (tenant_id, user_id)
          REFERENCES "user" (tenant_id, id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_one_time_token_user_id ON one_time_token (user_id, purpose, created_at)`,
    );
    // Failed sign-ins, for throttling per account and per client address.
    await queryRunner.query(`
      CREATE TABLE login_failure (
        id bigserial PRIMARY KEY,
        account_key text NOT NULL,
        ip text,
        occurred_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_login_failure_account_key ON login_failure (account_key, occurred_at)`,
    );
    await queryRunner.query(`CREATE INDEX idx_login_failure_ip ON login_failure (ip, occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE signing_key (
        kid text PRIMARY KEY,
        algorithm text NOT NULL,
        private_key_pem text NOT NULL,
        public_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        retired_at timestamptz,
        expires_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'signing_key',
      'login_failure',
      'one_time_token',
      'refresh_token',
      'session',
      '"user"',
      'department',
      'organization',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
