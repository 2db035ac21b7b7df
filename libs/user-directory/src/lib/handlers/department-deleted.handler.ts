import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DepartmentDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertSameAggregate, rowToUpdate } from './replica-rows';

/**
 * The department is gone: its row stays as a tombstone (`deleted_at`, so a
 * ticket that names it can still show its name, and no late event brings it
 * back), and the replica's users of it lose the reference, as user-service's
 * foreign key did for its own rows (it raises no user.updated for them).
 * Tickets keep their department_id; the reader treats a deleted department
 * as absent.
 */
@EventsHandler(DepartmentDeleted)
export class DepartmentDeletedHandler implements IEventHandler<DepartmentDeleted> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: DepartmentDeleted): Promise<void> {
    assertSameAggregate(event, event.payload.departmentId);
    await withTransaction(this.dataSource, async (manager) => {
      if (!(await rowToUpdate(manager, 'directory_department', event))) return;
      await manager.query(
        'UPDATE directory_department SET deleted_at = $2, version = $3 WHERE id = $1',
        [event.aggregateId, new Date(event.timestamp), event.aggregateVersion],
      );
      await manager.query(
        'UPDATE directory_user SET department_id = NULL WHERE tenant_id = $1 AND department_id = $2',
        [event.tenantId, event.aggregateId],
      );
    });
  }
}
