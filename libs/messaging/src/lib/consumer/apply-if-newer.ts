import type { DataSource } from 'typeorm';
import type { IntegrationEvent } from '@helpdesk/contracts';
import { currentManager, isInTransaction } from '@helpdesk/database';

/**
 * For handlers that build state from one aggregate's events: runs `apply` only
 * when the event is newer than the last one this projection applied for that
 * aggregate, and records its version. Returns whether it applied.
 *
 * Retries and redeliveries can deliver an older event after a newer one; it is
 * then skipped. That is right for events that carry the state they describe
 * (a snapshot of the fields); a projection of deltas must instead throw on a
 * version gap so the missing event is waited for (retried).
 *
 * Call it inside the handler (it joins the inbox transaction): the version row
 * stays locked until commit, so two replicas cannot apply the same aggregate
 * out of order.
 */
export async function applyIfNewer(
  dataSource: DataSource,
  projection: string,
  event: Pick<IntegrationEvent, 'aggregateType' | 'aggregateId' | 'aggregateVersion'>,
  apply: () => Promise<void>,
): Promise<boolean> {
  if (!isInTransaction(dataSource))
    throw new Error('applyIfNewer must run inside the transaction that applies the event.');
  const rows: unknown[] = await currentManager(dataSource).query(
    `INSERT INTO applied_versions (projection, aggregate_type, aggregate_id, version)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (projection, aggregate_type, aggregate_id) DO UPDATE
       SET version = EXCLUDED.version, applied_at = now()
       WHERE applied_versions.version < EXCLUDED.version
     RETURNING version`,
    [projection, event.aggregateType, event.aggregateId, event.aggregateVersion],
  );
  if (rows.length === 0) return false;
  await apply();
  return true;
}
