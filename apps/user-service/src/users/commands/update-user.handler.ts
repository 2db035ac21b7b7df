import { ForbiddenException } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { type Actor, hasRoleAtLeast } from '@helpdesk/auth';
import { UserUpdated } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { resolveDepartmentId, unknownDepartment } from '../../departments/department-reference';
import { eventActor } from '../../directory/event-actor';
import { isForeignKeyViolation } from '../../directory/postgres';
import { hasChanges } from '@helpdesk/domain';
import { UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { mayView } from '../user-access';
import { userNotFound } from '../user-problems';
import { toUserView, type UserView } from '../user.view';
import type { UpdateUserBody } from '../users.dto';

export class UpdateUserCommand {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
    readonly body: UpdateUserBody,
  ) {}
}

/**
 * Admins edit anyone's name and department; everyone else only their own
 * name. Someone the caller cannot see is a 404; someone they can see but not
 * edit, a 403.
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements ICommandHandler<UpdateUserCommand, UserView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
  ) {}

  async execute({ actor, userId, body }: UpdateUserCommand): Promise<UserView> {
    const tenantId = actor.organizationId;
    try {
      return await withTransaction(this.dataSource, async () => {
        const users = this.scopes.repository(UserSchema, tenantId);
        const user = mayView(actor, userId) ? await users.findOneForUpdate({ id: userId }) : null;
        if (!user) throw userNotFound();
        if (!hasRoleAtLeast(actor.role, 'admin')) {
          if (user.id !== actor.userId)
            throw new ForbiddenException('Only an admin may edit other users.');
          if (body.departmentId !== undefined)
            throw new ForbiddenException('Only an admin may change a user’s department.');
        }
        const departmentId = await resolveDepartmentId(this.scopes, tenantId, body.departmentId);
        const changes = user.updateProfile({ name: body.name, departmentId });
        if (hasChanges(changes)) {
          await users.save(user);
          await this.eventBus.publish(
            raise(UserUpdated, {
              tenantId,
              aggregateId: user.id,
              aggregateVersion: user.version,
              payload: { userId: user.id, changes },
              actor: eventActor(actor),
            }),
          );
        }
        return toUserView(user);
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw unknownDepartment();
      throw error;
    }
  }
}
