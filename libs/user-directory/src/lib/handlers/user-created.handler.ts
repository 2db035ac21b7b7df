import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { UserCreated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { assertExistingRowOfTenant, assertSameAggregate, departmentForUser } from './replica-rows';

/** A new member of the event's organization; a duplicate changes nothing. */
@EventsHandler(UserCreated)
export class UserCreatedHandler implements IEventHandler<UserCreated> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: UserCreated): Promise<void> {
    const { userId, email, name, role, active } = event.payload;
    assertSameAggregate(event, userId);
    await withTransaction(this.dataSource, async (manager) => {
      const departmentId = await departmentForUser(manager, event, event.payload.departmentId);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO directory_user (id, tenant_id, email, name, role, department_id, active, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [userId, event.tenantId, email, name, role, departmentId, active, event.aggregateVersion],
      );
      if (inserted.length === 0) await assertExistingRowOfTenant(manager, 'directory_user', event);
    });
  }
}
