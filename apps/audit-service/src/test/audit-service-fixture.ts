import { randomUUID } from 'node:crypto';
import type { Role } from '@helpdesk/contracts';
import { databaseUrlEnvVar, migrateServiceDatabase } from '@helpdesk/database';
import { EventConsumer } from '@helpdesk/messaging';
import { startService, type FakeIdentityProvider, type StartedService } from '@helpdesk/testing';
import { AppModule, databaseServiceOptions, httpAppOptions } from '../app.module';

export interface Member {
  id: string;
  organizationId: string;
  role: Role;
  token: string;
  /** `{ Authorization: 'Bearer …' }` */
  auth: { Authorization: string };
}

export interface Organization {
  id: string;
  admin: Member;
  manager: Member;
  /** Another member with a token (audit-service keeps no directory: a token is all it takes). */
  member(role: Role): Member;
}

/** A row for `insertEntries`; what is left out gets a plain default. */
export interface EntryRow {
  tenantId: string;
  eventType?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string | null;
  actorType?: 'user' | 'service' | 'system';
  action?: string;
  changes?: object | null;
  ip?: string | null;
  userAgent?: string | null;
  correlationId?: string | null;
  occurredAt?: string;
}

/** audit-service publishes nothing: it has no outbox. */
export interface AuditServiceFixture extends Omit<StartedService, 'outbox'> {
  identity: FakeIdentityProvider;
  organization(): Organization;
  /** Rows written straight into the table (bulk: generate_series); returns their ids. */
  insertEntries(rows: EntryRow[]): Promise<string[]>;
  insertMany(tenantId: string, count: number, occurredBefore?: Date): Promise<void>;
}

/** audit-service as production wires it, on its own database and vhost, trusting a test identity provider. */
export async function startAuditService(
  env: Record<string, string> = {},
): Promise<AuditServiceFixture> {
  const { outbox: _noOutbox, ...service } = await startService({
    rootModule: AppModule,
    http: httpAppOptions,
    databaseUrlVariable: databaseUrlEnvVar(databaseServiceOptions.serviceName),
    migrate: (appEnv) =>
      migrateServiceDatabase({
        ...databaseServiceOptions,
        env: appEnv,
        logger: { log: () => undefined, error: () => undefined },
      }),
    prefix: 'audit',
    identity: true,
    // Tests run the retention job themselves (RetentionJob.runNow).
    env: { AUDIT_RETENTION_START_DELAY_MS: '3600000', ...env },
  });
  const { dataSource } = service;
  const identity = service.identity as FakeIdentityProvider;
  // Bound to every exchange with '#' before the first publish.
  await service.app.get(EventConsumer).waitUntilConnected(10_000);

  const organization = (): Organization => {
    const id = randomUUID();
    const member = (role: Role): Member => {
      const userId = randomUUID();
      const token = identity.token({ id: userId, organizationId: id, role });
      return {
        id: userId,
        organizationId: id,
        role,
        token,
        auth: { Authorization: `Bearer ${token}` },
      };
    };
    return { id, admin: member('admin'), manager: member('manager'), member };
  };

  const insertEntries: AuditServiceFixture['insertEntries'] = async (rows) => {
    const ids: string[] = [];
    for (const row of rows) {
      const id = randomUUID();
      ids.push(id);
      await dataSource.query(
        `INSERT INTO audit_entry (id, tenant_id, event_id, event_type, entity_type, entity_id,
           actor_id, actor_type, action, changes, ip, user_agent, correlation_id, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          id,
          row.tenantId,
          randomUUID(),
          row.eventType ?? 'ticket.updated',
          row.entityType ?? 'ticket',
          row.entityId ?? randomUUID(),
          row.actorId === undefined ? randomUUID() : row.actorId,
          row.actorType ?? 'user',
          row.action ?? 'updated',
          row.changes ? JSON.stringify(row.changes) : null,
          row.ip ?? null,
          row.userAgent ?? null,
          row.correlationId ?? randomUUID(),
          row.occurredAt ?? new Date().toISOString(),
        ],
      );
    }
    return ids;
  };

  const insertMany: AuditServiceFixture['insertMany'] = async (
    tenantId,
    count,
    occurredBefore = new Date(),
  ) => {
    await dataSource.query(
      `INSERT INTO audit_entry (id, tenant_id, event_id, event_type, entity_type, entity_id,
         actor_id, actor_type, action, changes, correlation_id, occurred_at)
       SELECT gen_random_uuid(), $1, gen_random_uuid(), 'ticket.updated', 'ticket', 'bulk-' || n,
              'bulk-actor', 'user', 'updated',
              jsonb_build_object('title', jsonb_build_object('from', 'a, "b"', 'to', 'c' || n)),
              'bulk', $3::timestamptz - n * interval '1 millisecond'
         FROM generate_series(1, $2::int) AS n`,
      [tenantId, count, occurredBefore.toISOString()],
    );
  };

  return {
    ...service,
    identity,
    organization,
    insertEntries,
    insertMany,
  };
}
