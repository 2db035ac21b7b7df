import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertSameAggregate, rowToUpdate } from './replica-rows';

/**
 * The user left the organization. Their row stays as a tombstone (name kept,
 * `deleted_at` set): views can still say who asked, and `Directory` never
 * offers them as a recipient or an assignee. Services that must do more
 * (ticket-service unassigns their tickets) add their own handler of
 * `user.deleted`; it runs in the same inbox transaction.
 */
@EventsHandler(UserDeleted)
export class UserDeletedHandler implements IEventHandler<UserDeleted> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: UserDeleted): Promise<void> {
    assertSameAggregate(event, event.payload.userId);
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await rowToUpdate(manager, 'directory_user', event))) return;
      await manager.query('UPDATE directory_user SET deleted_at = $2, version = $3 WHERE id = $1', [
        event.aggregateId,
        new Date(event.timestamp),
        event.aggregateVersion,
      ]);
    });
  }
}
