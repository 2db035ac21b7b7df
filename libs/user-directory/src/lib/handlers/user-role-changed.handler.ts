import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserRoleChanged } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertSameAggregate, rowToUpdate } from './replica-rows';

/**
 * The user's new role. Tickets assigned to someone who is now a requester
 * stay assigned (a decision): the change may be a mistake about to be undone,
 * and silently dropping the work is worse than showing it under someone who
 * can no longer act on it. The role is checked where it matters — assigning
 * a ticket accepts staff only, and the guard authorizes each request by the
 * role in the caller's token — so a staff member demoted to requester can be
 * reassigned away from explicitly.
 */
@EventsHandler(UserRoleChanged)
export class UserRoleChangedHandler implements IEventHandler<UserRoleChanged> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: UserRoleChanged): Promise<void> {
    assertSameAggregate(event, event.payload.userId);
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await rowToUpdate(manager, 'directory_user', event))) return;
      await manager.query('UPDATE directory_user SET role = $2, version = $3 WHERE id = $1', [
        event.aggregateId,
        event.payload.role,
        event.aggregateVersion,
      ]);
    });
  }
}
