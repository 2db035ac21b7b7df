import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { pageOffset, paginate, type Paginated } from '@helpdesk/http';
import { InAppStore, type NotificationView } from './in-app-store';
import type { ListNotificationsQuery } from './notifications.dto';

export class ListNotificationsQueryMessage {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly query: ListNotificationsQuery,
  ) {}
}

/** The caller's own in-app notifications, newest first. */
@QueryHandler(ListNotificationsQueryMessage)
export class ListNotificationsHandler implements IQueryHandler<
  ListNotificationsQueryMessage,
  Paginated<NotificationView>
> {
  constructor(private readonly notifications: InAppStore) {}

  async execute({
    tenantId,
    userId,
    query,
  }: ListNotificationsQueryMessage): Promise<Paginated<NotificationView>> {
    const [items, total] = await this.notifications.list(tenantId, userId, {
      unread: query.unread === undefined ? undefined : query.unread === 'true',
      offset: pageOffset(query),
      limit: query.limit,
    });
    return paginate(items, total, query);
  }
}
