import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DepartmentUpdated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertSameAggregate, rowToUpdate, SetClause } from './replica-rows';

/** A renamed department (the description is not kept here). */
@EventsHandler(DepartmentUpdated)
export class DepartmentUpdatedHandler implements IEventHandler<DepartmentUpdated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: DepartmentUpdated): Promise<void> {
    assertSameAggregate(event, event.payload.departmentId);
    const { changes } = event.payload;
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await rowToUpdate(manager, 'directory_department', event))) return;
      const clause = new SetClause([event.aggregateId]).set('version', event.aggregateVersion);
      if (changes.name) clause.set('name', changes.name.to);
      await manager.query(`UPDATE directory_department SET ${clause} WHERE id = $1`, clause.values);
    });
  }
}
