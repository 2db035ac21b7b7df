import type { IntegrationEvent } from '@helpdesk/contracts';
import type { EntityManager } from 'typeorm';

/**
 * What the directory handlers share: how an event is checked against the
 * replica before it may change it.
 *
 * Ordering: each replica row keeps the `aggregateVersion` of the last event
 * applied to it (its `version` column). An event whose version is not newer
 * is a duplicate or a late retry and is skipped; a newer one is applied even
 * across a gap (user-service also bumps versions for changes we never see,
 * e.g. a password change). `*.updated`, role and delete events are deltas on a
 * row a `*.created` made: arriving before it, they throw, so the consumer
 * retries them until the creation has been applied.
 */

/** The event names another organization than the row (or payload) it would change: never applied. */
export class CrossTenantEventError extends Error {
  constructor(event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'tenantId'>, detail: string) {
    super(
      `${event.eventType} ${event.eventId} refused: ${detail} (event tenant ${event.tenantId}).`,
    );
    this.name = 'CrossTenantEventError';
  }
}

/** The event changes a row whose creation has not been applied yet: retried later. */
export class ReplicaRowMissingError extends Error {
  constructor(event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'aggregateId'>) {
    super(
      `${event.eventType} ${event.eventId}: ${event.aggregateId} is not in the replica yet; retried until its creation arrives.`,
    );
    this.name = 'ReplicaRowMissingError';
  }
}

/** The aggregate id of the envelope and the id in the payload must be the same thing. */
export function assertSameAggregate(
  event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'tenantId' | 'aggregateId'>,
  payloadId: string,
): void {
  if (event.aggregateId !== payloadId)
    throw new CrossTenantEventError(
      event,
      `aggregateId ${event.aggregateId} differs from the payload's id ${payloadId}`,
    );
}

export type ReplicaTable = 'directory_user' | 'directory_department';

export interface LockedRow {
  tenantId: string;
  version: number;
}

/** Locks a tenant-owned replica row until commit; undefined when it does not exist. */
export async function lockRow(
  manager: EntityManager,
  table: ReplicaTable,
  id: string,
): Promise<LockedRow | undefined> {
  const [row] = await manager.query(
    `SELECT tenant_id, version FROM ${table} WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row && { tenantId: row.tenant_id, version: row.version };
}

/**
 * For a delta event: the locked row it applies to, or undefined when the event
 * is not newer than the row (skip). Throws when the row is missing (retry) or
 * belongs to another organization (refuse).
 */
export async function rowToUpdate(
  manager: EntityManager,
  table: ReplicaTable,
  event: Pick<
    IntegrationEvent,
    'eventType' | 'eventId' | 'tenantId' | 'aggregateId' | 'aggregateVersion'
  >,
): Promise<LockedRow | undefined> {
  const row = await lockRow(manager, table, event.aggregateId);
  if (!row) throw new ReplicaRowMissingError(event);
  if (row.tenantId !== event.tenantId)
    throw new CrossTenantEventError(
      event,
      `${table} ${event.aggregateId} belongs to another organization`,
    );
  return row.version < event.aggregateVersion ? row : undefined;
}

/**
 * After an `INSERT … ON CONFLICT DO NOTHING` inserted nothing: the row exists
 * already (a duplicate creation, or one older than what was applied). Fine —
 * unless it belongs to another organization.
 */
export async function assertExistingRowOfTenant(
  manager: EntityManager,
  table: ReplicaTable,
  event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'tenantId' | 'aggregateId'>,
): Promise<void> {
  const row = await lockRow(manager, table, event.aggregateId);
  if (row && row.tenantId !== event.tenantId)
    throw new CrossTenantEventError(
      event,
      `${table} ${event.aggregateId} belongs to another organization`,
    );
}

/**
 * The department to store for a user: never another organization's (refused);
 * null for one already deleted here (user-service's foreign key cleared it,
 * without an event of the user's). One we have not heard of yet is kept
 * (events of different aggregates are not ordered); the reader only ever
 * looks departments up within the tenant.
 */
export async function departmentForUser(
  manager: EntityManager,
  event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'tenantId'>,
  departmentId: string | null,
): Promise<string | null> {
  if (departmentId === null) return null;
  const [row] = await manager.query(
    'SELECT tenant_id, deleted_at FROM directory_department WHERE id = $1',
    [departmentId],
  );
  if (!row) return departmentId;
  if (row.tenant_id !== event.tenantId)
    throw new CrossTenantEventError(
      event,
      `department ${departmentId} belongs to another organization`,
    );
  return row.deleted_at === null ? departmentId : null;
}

/**
 * An organization is the tenant itself: aggregateId, tenantId and the
 * payload's organizationId must all be the same id.
 */
export function assertOrganizationEvent(
  event: Pick<IntegrationEvent, 'eventType' | 'eventId' | 'tenantId' | 'aggregateId'>,
  organizationId: string,
): void {
  if (event.aggregateId !== event.tenantId || organizationId !== event.tenantId)
    throw new CrossTenantEventError(
      event,
      `organization ${organizationId} (aggregate ${event.aggregateId}) is not the event's tenant`,
    );
}

/** A value for a jsonb parameter: JSON text, with null staying SQL NULL. */
export function jsonb(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Builds `SET a = $3, b = $4` after the parameters already used. */
export class SetClause {
  private readonly assignments: string[] = [];

  constructor(readonly values: unknown[]) {}

  set(column: string, value: unknown): this {
    this.values.push(value);
    this.assignments.push(`${column} = $${this.values.length}`);
    return this;
  }

  toString(): string {
    return this.assignments.join(', ');
  }
}
