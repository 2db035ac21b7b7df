import type { DataSource, EntityManager } from 'typeorm';

/**
 * Records that `consumer` processed the event. Returns false when it already
 * had: the caller then commits nothing else. Must run in the transaction of the
 * effects, so that a rollback forgets the event too.
 */
export async function recordInInbox(
  manager: EntityManager,
  consumer: string,
  event: { eventId: string; eventType: string },
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
     ON CONFLICT (consumer, event_id) DO NOTHING
     RETURNING event_id`,
    [consumer, event.eventId, event.eventType],
  );
  return rows.length === 1;
}

const PURGE_BATCH = 5_000;

/**
 * Deletes the consumer's inbox rows older than `olderThanDays`, in small
 * batches so no purge holds locks or bloats WAL for long. Returns how many.
 * Safe with several replicas purging at once.
 */
export async function purgeInbox(
  dataSource: DataSource,
  consumer: string,
  olderThanDays: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const [, deleted] = (await dataSource.query(
      `DELETE FROM inbox WHERE ctid IN (
         SELECT ctid FROM inbox
         WHERE consumer = $1 AND received_at < now() - make_interval(days => $2)
         LIMIT $3)`,
      [consumer, olderThanDays, PURGE_BATCH],
    )) as [unknown, number];
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
  }
}
