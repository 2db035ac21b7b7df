import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager, pageWithTotal, valuesPlaceholders } from '@helpdesk/database';
import { returningRows } from '../persistence/returning-rows';

/** Well under PostgreSQL's 65,535 parameters per statement. */
const ROWS_PER_INSERT = 1_000;

export interface InAppNotification {
  tenantId: string;
  userId: string;
  eventId: string;
  type: string;
  title: string;
  body: string;
  ticketId: string | null;
}

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string;
  ticketId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

interface NotificationRow {
  id: string;
  type: string;
  title: string;
  body: string;
  ticket_id: string | null;
  read_at: Date | null;
  created_at: Date;
}

export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    body: row.body,
    ticketId: row.ticket_id,
    read: row.read_at !== null,
    readAt: row.read_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class InAppStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Once per (event, user): a redelivered event adds nothing. One statement for all of them. */
  async addAll(notifications: readonly InAppNotification[]): Promise<void> {
    for (let start = 0; start < notifications.length; start += ROWS_PER_INSERT) {
      const chunk = notifications.slice(start, start + ROWS_PER_INSERT);
      await currentManager(this.dataSource).query(
        `INSERT INTO notification (id, tenant_id, user_id, event_id, type, title, body, ticket_id)
         VALUES ${valuesPlaceholders(chunk.length, 8)}
         ON CONFLICT (event_id, user_id) DO NOTHING`,
        chunk.flatMap((notification) => [
          randomUUID(),
          notification.tenantId,
          notification.userId,
          notification.eventId,
          notification.type,
          notification.title.slice(0, 500),
          notification.body.slice(0, 2000),
          notification.ticketId,
        ]),
      );
    }
  }

  async list(
    tenantId: string,
    userId: string,
    filter: { unread?: boolean; offset: number; limit: number },
  ): Promise<[NotificationView[], number]> {
    const where = `tenant_id = $1 AND user_id = $2${
      filter.unread === true
        ? ' AND read_at IS NULL'
        : filter.unread === false
          ? ' AND read_at IS NOT NULL'
          : ''
    }`;
    const { rows, total } = await pageWithTotal<NotificationRow>(currentManager(this.dataSource), {
      columns: 'id, type, title, body, ticket_id, read_at, created_at',
      from: 'notification',
      where,
      parameters: [tenantId, userId],
      orderBy: 'created_at DESC, id DESC',
      offset: filter.offset,
      limit: filter.limit,
    });
    return [rows.map(toNotificationView), total];
  }

  /** False when the notification is not the user's (or does not exist). */
  async markRead(tenantId: string, userId: string, id: string): Promise<boolean> {
    const rows = returningRows(
      await currentManager(this.dataSource).query(
        `UPDATE notification SET read_at = COALESCE(read_at, now())
        WHERE id = $1 AND tenant_id = $2 AND user_id = $3 RETURNING id`,
        [id, tenantId, userId],
      ),
    );
    return rows.length > 0;
  }
}
