import type { ConfirmChannel } from 'amqplib';
import type { PendingRow } from './outbox-store';

/**
 * What the broker said about one row. Only 'confirmed' means published;
 * 'returned' (no queue bound, mandatory) and 'nacked' are the row's failures;
 * 'unconfirmed' (channel closed, confirm timeout) says nothing about the row,
 * which stays pending untouched and is retried with the connection.
 */
export type PublishOutcome = 'confirmed' | 'returned' | 'nacked' | 'unconfirmed';

const NACKED = 'message nacked'; // amqplib's error for a basic.nack; a closed channel says 'channel closed'

function unixSeconds(timestamp: string): number | undefined {
  const millis = Date.parse(timestamp);
  return Number.isNaN(millis) ? undefined : Math.floor(millis / 1000);
}

/**
 * Publishes `rows` on a confirm channel and waits for every confirm (or the
 * deadline). `returned` is filled by the channel's 'return' listener: RabbitMQ
 * sends basic.return before the basic.ack of an unroutable mandatory message,
 * so by the time a row's confirm arrives its return has been seen.
 */
export async function publishBatch(
  channel: ConfirmChannel,
  returned: ReadonlySet<string>,
  rows: readonly PendingRow[],
  confirmTimeoutMs: number,
): Promise<Map<string, PublishOutcome>> {
  const outcomes = new Map<string, PublishOutcome>(rows.map((row) => [row.id, 'unconfirmed']));
  const confirms = rows.map(
    (row) =>
      new Promise<void>((settle) => {
        try {
          channel.publish(
            row.exchange,
            row.routingKey,
            Buffer.from(row.envelope),
            {
              persistent: true,
              mandatory: true,
              contentType: 'application/json',
              messageId: row.id,
              type: row.eventType,
              timestamp: unixSeconds(row.timestamp),
              headers: {
                'x-tenant-id': row.tenantId,
                'x-correlation-id': row.correlationId,
              },
            },
            (error: unknown) => {
              if (!error) outcomes.set(row.id, returned.has(row.id) ? 'returned' : 'confirmed');
              else if (error instanceof Error && error.message === NACKED)
                outcomes.set(row.id, 'nacked');
              settle();
            },
          );
        } catch {
          settle(); // the channel is closed: stays 'unconfirmed'
        }
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, confirmTimeoutMs)));
  await Promise.race([Promise.all(confirms), deadline]);
  clearTimeout(timer);
  return new Map(outcomes); // a copy: late confirms after the deadline must not change the verdict
}
