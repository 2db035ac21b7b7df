import type { DataSource, EntityManager } from 'typeorm';

/** A claimed row, as the relay publishes it. */
export interface PendingRow {
  id: string;
  exchange: string;
  routingKey: string;
  eventType: string;
  tenantId: string;
  /** The envelope's JSON: the message body as is. */
  envelope: string;
  /** From the envelope, for the message properties. */
  correlationId: string;
  timestamp: string;
  attempts: number;
}

export interface OutboxStats {
  pending: number;
  oldestPendingAgeSeconds: number;
  /** Pending rows the broker returned because no queue is bound yet: waiting for a subscriber, not stuck. */
  awaitingSubscriber: number;
  /** The oldest pending row that is not merely waiting for a subscriber. */
  oldestStuckAgeSeconds: number;
}

/**
 * Pending rows in commit order, each the first pending row of its aggregate:
 * a later event of an aggregate is claimable only once every earlier one is
 * published, so two relays can never publish one aggregate out of order
 * (and SKIP LOCKED keeps them from claiming the same rows).
 *
 * Except behind an event the broker returned as unroutable: nobody is bound
 * to receive it, so no consumer can see the later events out of order with
 * it, and holding them back would stall the aggregate for every subscriber
 * (user.deleted waiting behind a user.invited that no running service takes).
 * The returned event stays pending until someone binds its routing key.
 */
const CLAIM = `
  SELECT o.id, o.exchange, o.routing_key AS "routingKey", o.event_type AS "eventType",
         o.tenant_id AS "tenantId", o.envelope::text AS envelope, o.attempts,
         o.envelope->'metadata'->>'correlationId' AS "correlationId",
         o.envelope->>'timestamp' AS timestamp
    FROM outbox o
   WHERE o.published_at IS NULL
     AND o.next_attempt_at <= now()
     AND NOT EXISTS (
           SELECT 1 FROM outbox earlier
            WHERE earlier.published_at IS NULL
              AND earlier.aggregate_type = o.aggregate_type
              AND earlier.aggregate_id = o.aggregate_id
              AND earlier.seq < o.seq
              AND (earlier.last_error IS NULL OR earlier.last_error NOT LIKE 'unroutable:%'))
   ORDER BY o.seq
   LIMIT $1
     FOR UPDATE OF o SKIP LOCKED`;

export function claimPending(manager: EntityManager, limit: number): Promise<PendingRow[]> {
  return manager.query(CLAIM, [limit]);
}

/** One UPDATE for the whole confirmed batch. */
export async function markPublished(manager: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await manager.query(
    `UPDATE outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

export async function markFailed(
  manager: EntityManager,
  id: string,
  error: string,
  retryInMs: number,
): Promise<void> {
  await manager.query(
    `UPDATE outbox
        SET attempts = attempts + 1, last_error = $2,
            next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
      WHERE id = $1`,
    [id, error.slice(0, 2_000), retryInMs],
  );
}

export async function outboxStats(dataSource: DataSource): Promise<OutboxStats> {
  const [row]: Array<{
    pending: string;
    age: number | null;
    awaiting: string;
    stuck_age: number | null;
  }> = await dataSource.query(
    `SELECT count(*) AS pending,
            extract(epoch FROM now() - min(created_at))::float8 AS age,
            count(*) FILTER (WHERE last_error LIKE 'unroutable:%') AS awaiting,
            extract(epoch FROM now() - min(created_at) FILTER (
              WHERE last_error IS NULL OR last_error NOT LIKE 'unroutable:%'))::float8 AS stuck_age
       FROM outbox WHERE published_at IS NULL`,
  );
  return {
    pending: Number(row.pending),
    oldestPendingAgeSeconds: Math.max(0, row.age ?? 0),
    awaitingSubscriber: Number(row.awaiting),
    oldestStuckAgeSeconds: Math.max(0, row.stuck_age ?? 0),
  };
}

/** Deletes published rows older than the retention, a bounded slice at a time; returns how many. */
export async function deletePublishedBefore(
  dataSource: DataSource,
  retentionMs: number,
  limit = 10_000,
): Promise<number> {
  const [, count]: [unknown, number] = await dataSource.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox
        WHERE published_at IS NOT NULL
          AND published_at < now() - make_interval(secs => $1::double precision / 1000)
        LIMIT $2)`,
    [retentionMs, limit],
  );
  return count;
}
