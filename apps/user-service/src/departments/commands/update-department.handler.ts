import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { DepartmentUpdated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { hasChanges } from '@helpdesk/domain';
import { DepartmentSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { departmentNotFound, rethrowDuplicateName } from '../department-problems';
import { toDepartmentView, type DepartmentView } from '../department.view';
import type { UpdateDepartmentBody } from '../departments.dto';

export class UpdateDepartmentCommand {
  constructor(
    readonly actor: Actor,
    readonly departmentId: string,
    readonly body: UpdateDepartmentBody,
  ) {}
}

/** Renames or re-describes a department; `department.updated` only when something changed. */
@CommandHandler(UpdateDepartmentCommand)
export class UpdateDepartmentHandler implements ICommandHandler<
  UpdateDepartmentCommand,
  DepartmentView
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
  ) {}

  async execute({ actor, departmentId, body }: UpdateDepartmentCommand): Promise<DepartmentView> {
    try {
      return await withTransaction(this.dataSource, async () => {
        const departments = this.scopes.repository(DepartmentSchema, actor.organizationId);
        const department = await departments.findOneForUpdate({ id: departmentId });
        if (!department) throw departmentNotFound();
        const changes = department.update({ name: body.name, description: body.description });
        if (hasChanges(changes)) {
          await departments.save(department);
          await this.eventBus.publish(
            raise(DepartmentUpdated, {
              tenantId: department.tenantId,
              aggregateId: department.id,
              aggregateVersion: department.version,
              payload: { departmentId: department.id, changes },
              actor: eventActor(actor),
            }),
          );
        }
        return toDepartmentView(department);
      });
    } catch (error) {
      return rethrowDuplicateName(error, body.name);
    }
  }
}
