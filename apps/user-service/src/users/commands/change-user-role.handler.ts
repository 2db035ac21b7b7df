import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { type Actor, hasRoleAtLeast } from '@helpdesk/auth';
import { type Role, UserRoleChanged } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { SessionTokens } from '../../identity/session-tokens';
import { UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { countOtherAdmins, lockAdminDecisions } from '../admins';
import { userNotFound } from '../user-problems';
import { toUserView, type UserView } from '../user.view';

export class ChangeUserRoleCommand {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
    readonly role: Role,
  ) {}
}

/**
 * An admin changes someone's role; the organization's last admin cannot be
 * demoted (409). A demotion also ends the user's sessions: their access
 * tokens carry the old role, and services trust the token until it expires.
 */
@CommandHandler(ChangeUserRoleCommand)
export class ChangeUserRoleHandler implements ICommandHandler<ChangeUserRoleCommand, UserView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ actor, userId, role }: ChangeUserRoleCommand): Promise<UserView> {
    const tenantId = actor.organizationId;
    return withTransaction(this.dataSource, async () => {
      await lockAdminDecisions(this.dataSource, tenantId);
      const users = this.scopes.repository(UserSchema, tenantId);
      const user = await users.findOneForUpdate({ id: userId });
      if (!user) throw userNotFound();
      const otherAdmins = user.role === 'admin' ? await countOtherAdmins(this.scopes, user) : 0;
      const previousRole = user.changeRole(role, otherAdmins);
      if (previousRole === undefined) return toUserView(user);
      await users.save(user);
      await this.eventBus.publish(
        raise(UserRoleChanged, {
          tenantId,
          aggregateId: user.id,
          aggregateVersion: user.version,
          payload: { userId: user.id, previousRole, role: user.role },
          actor: eventActor(actor),
        }),
      );
      if (!hasRoleAtLeast(user.role, previousRole))
        await this.sessions.revokeAllOf(user, 'revoked');
      return toUserView(user);
    });
  }
}
