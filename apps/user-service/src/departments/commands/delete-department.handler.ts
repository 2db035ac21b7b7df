import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { DepartmentDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { DepartmentSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { departmentNotFound } from '../department-problems';

export class DeleteDepartmentCommand {
  constructor(
    readonly actor: Actor,
    readonly departmentId: string,
  ) {}
}

/**
 * Removes a department. Its users stay: the foreign key sets their
 * department_id to NULL; other services clear their references on
 * `department.deleted`.
 */
@CommandHandler(DeleteDepartmentCommand)
export class DeleteDepartmentHandler implements ICommandHandler<DeleteDepartmentCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
  ) {}

  async execute({ actor, departmentId }: DeleteDepartmentCommand): Promise<void> {
    await withTransaction(this.dataSource, async () => {
      const departments = this.scopes.repository(DepartmentSchema, actor.organizationId);
      const department = await departments.findOneForUpdate({ id: departmentId });
      if (!department) throw departmentNotFound();
      await departments.remove(department);
      await this.eventBus.publish(
        raise(DepartmentDeleted, {
          tenantId: department.tenantId,
          aggregateId: department.id,
          aggregateVersion: department.version + 1,
          payload: { departmentId: department.id },
          actor: eventActor(actor),
        }),
      );
    });
  }
}
