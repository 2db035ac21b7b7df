import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DepartmentCreated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertExistingRowOfTenant, assertSameAggregate } from './replica-rows';

/** A new department of the event's organization; a duplicate changes nothing. */
@EventsHandler(DepartmentCreated)
export class DepartmentCreatedHandler implements IEventHandler<DepartmentCreated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: DepartmentCreated): Promise<void> {
    assertSameAggregate(event, event.payload.departmentId);
    await withTransaction(this.dataSource, async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO directory_department (id, tenant_id, name, version)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [event.aggregateId, event.tenantId, event.payload.name, event.aggregateVersion],
      );
      if (inserted.length === 0)
        await assertExistingRowOfTenant(manager, 'directory_department', event);
    });
  }
}
