import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager, pageWithTotal } from '@helpdesk/database';
import type { AuditEntry } from './audit-entry';
import { toAuditEntryView, type AuditEntryRow, type AuditEntryView } from './audit-entry.view';

/** What a read may narrow by; every value is matched exactly, `from`/`to` inclusive. */
export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  eventType?: string;
  from?: string;
  to?: string;
}

/** `oldest`: an entity's trail (occurrence, then the aggregate's version); `newest`: everything else. */
export type AuditOrder = 'oldest' | 'newest';

const ORDER_BY: Record<AuditOrder, string> = {
  oldest: 'occurred_at ASC, aggregate_version ASC NULLS LAST, id ASC',
  newest: 'occurred_at DESC, id DESC',
};

const COLUMNS = `id, tenant_id, event_id, event_type, entity_type, entity_id, actor_id, actor_type,
  action, changes, payload, ip, user_agent, correlation_id, occurred_at`;

/** Rows per round trip of an export. */
export const EXPORT_BATCH = 1000;

const FILTER_COLUMNS: [Exclude<keyof AuditFilter, 'from' | 'to'>, string][] = [
  ['entityType', 'entity_type'],
  ['entityId', 'entity_id'],
  ['actorId', 'actor_id'],
  ['action', 'action'],
  ['eventType', 'event_type'],
];

/**
 * The WHERE clause of every read: the tenant first, always — this is the one
 * place an audit query is scoped, so no read can reach another organization.
 */
function scoped(tenantId: string, filter: AuditFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [tenantId];
  const conditions = ['tenant_id = $1'];
  for (const [field, column] of FILTER_COLUMNS) {
    const value = filter[field];
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  }
  if (filter.from !== undefined) {
    params.push(filter.from);
    conditions.push(`occurred_at >= $${params.length}::timestamptz`);
  }
  if (filter.to !== undefined) {
    params.push(filter.to);
    conditions.push(`occurred_at <= $${params.length}::timestamptz`);
  }
  return { where: conditions.join(' AND '), params };
}

/** An organization's part of the log: everything a request may read. */
export class TenantAuditLog {
  constructor(
    private readonly dataSource: DataSource,
    readonly tenantId: string,
  ) {}

  async find(id: string): Promise<AuditEntryView | undefined> {
    const { where, params } = scoped(this.tenantId, {});
    const rows: AuditEntryRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_entry WHERE ${where} AND id = $${params.length + 1}`,
      [...params, id],
    );
    return rows[0] && toAuditEntryView(rows[0]);
  }

  async page(
    filter: AuditFilter,
    order: AuditOrder,
    offset: number,
    limit: number,
  ): Promise<{ items: AuditEntryView[]; total: number }> {
    const { where, params } = scoped(this.tenantId, filter);
    const { rows, total } = await pageWithTotal<AuditEntryRow>(this.dataSource, {
      columns: COLUMNS,
      from: 'audit_entry',
      where,
      parameters: params,
      orderBy: ORDER_BY[order],
      offset,
      limit,
    });
    return { items: rows.map(toAuditEntryView), total };
  }

  /**
   * Every matching entry, newest first, EXPORT_BATCH at a time by keyset
   * (occurred_at, id): each batch is one short query on a pooled connection,
   * so a slow download holds no connection or transaction open, and memory
   * stays at one batch. Entries recorded after the export began are left out,
   * so a late event cannot slip into the middle of a running export.
   */
  async *batches(filter: AuditFilter): AsyncGenerator<AuditEntryView[]> {
    const { where, params } = scoped(this.tenantId, filter);
    const startedAt = new Date().toISOString();
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const keyset = after
        ? `AND (occurred_at, id) < ($${params.length + 3}::timestamptz, $${params.length + 4}::uuid)`
        : '';
      const rows: (AuditEntryRow & { cursor_at: string })[] = await this.dataSource.query(
        `SELECT ${COLUMNS},
                to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
           FROM audit_entry
          WHERE ${where} AND recorded_at <= $${params.length + 1}::timestamptz ${keyset}
          ORDER BY occurred_at DESC, id DESC
          LIMIT $${params.length + 2}`,
        [...params, startedAt, EXPORT_BATCH, ...(after ? [after.at, after.id] : [])],
      );
      if (rows.length === 0) return;
      yield rows.map(toAuditEntryView);
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { at: last.cursor_at, id: last.id };
    }
  }
}

/** The audit log: appends (from events and the internal route) and tenant-scoped reads. */
@Injectable()
export class AuditLog {
  constructor(private readonly dataSource: DataSource) {}

  forTenant(tenantId: string): TenantAuditLog {
    return new TenantAuditLog(this.dataSource, tenantId);
  }

  /**
   * Appends in the caller's transaction (the consumer's inbox transaction for
   * events). A second entry for the same event is silently not written: the
   * inbox already makes redeliveries harmless, the unique event_id makes sure.
   * Returns whether a row was written.
   */
  async append(entry: AuditEntry): Promise<boolean> {
    const rows: { id: string }[] = await currentManager(this.dataSource).query(
      `INSERT INTO audit_entry (id, tenant_id, event_id, event_type, entity_type, entity_id,
         aggregate_version, actor_id, actor_type, action, changes, payload, ip, user_agent,
         correlation_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13, $14, $15, $16)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING id`,
      [
        entry.id,
        entry.tenantId,
        entry.eventId,
        entry.eventType,
        entry.entityType,
        entry.entityId,
        entry.aggregateVersion,
        entry.actorId,
        entry.actorType,
        entry.action,
        entry.changes === null ? null : JSON.stringify(entry.changes),
        entry.payload === null || entry.payload === undefined
          ? null
          : JSON.stringify(entry.payload),
        entry.ip,
        entry.userAgent,
        entry.correlationId,
        entry.occurredAt,
      ],
    );
    return rows.length > 0;
  }
}
