import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserUpdated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertSameAggregate, departmentForUser, rowToUpdate, SetClause } from './replica-rows';

/** Profile changes (`changes.*.to`): e-mail, name, department, active. */
@EventsHandler(UserUpdated)
export class UserUpdatedHandler implements IEventHandler<UserUpdated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: UserUpdated): Promise<void> {
    assertSameAggregate(event, event.payload.userId);
    const { changes } = event.payload;
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await rowToUpdate(manager, 'directory_user', event))) return;
      const clause = new SetClause([event.aggregateId]).set('version', event.aggregateVersion);
      if (changes.email) clause.set('email', changes.email.to);
      if (changes.name) clause.set('name', changes.name.to);
      if (changes.departmentId)
        clause.set(
          'department_id',
          await departmentForUser(manager, event, changes.departmentId.to),
        );
      if (changes.active) clause.set('active', changes.active.to);
      await manager.query(`UPDATE directory_user SET ${clause} WHERE id = $1`, clause.values);
    });
  }
}
