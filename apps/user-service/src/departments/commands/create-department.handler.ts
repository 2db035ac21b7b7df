import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { DepartmentCreated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { Department } from '../../domain/department';
import { DepartmentSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { rethrowDuplicateName } from '../department-problems';
import { toDepartmentView, type DepartmentView } from '../department.view';
import type { CreateDepartmentBody } from '../departments.dto';

export class CreateDepartmentCommand {
  constructor(
    readonly actor: Actor,
    readonly body: CreateDepartmentBody,
  ) {}
}

@CommandHandler(CreateDepartmentCommand)
export class CreateDepartmentHandler implements ICommandHandler<
  CreateDepartmentCommand,
  DepartmentView
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
  ) {}

  async execute({ actor, body }: CreateDepartmentCommand): Promise<DepartmentView> {
    try {
      return await withTransaction(this.dataSource, async () => {
        const department = Department.create(actor.organizationId, {
          name: body.name,
          description: body.description ?? null,
        });
        await this.scopes.repository(DepartmentSchema, actor.organizationId).save(department);
        await this.eventBus.publish(
          raise(DepartmentCreated, {
            tenantId: department.tenantId,
            aggregateId: department.id,
            aggregateVersion: department.version,
            payload: {
              departmentId: department.id,
              name: department.name,
              description: department.description,
            },
            actor: eventActor(actor),
          }),
        );
        return toDepartmentView(department);
      });
    } catch (error) {
      return rethrowDuplicateName(error, body.name);
    }
  }
}
