import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { UserDeleted } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { eventActor } from '../../directory/event-actor';
import { SessionTokens } from '../../identity/session-tokens';
import { UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { countOtherAdmins, lockAdminDecisions } from '../admins';
import { userNotFound } from '../user-problems';

export class DeleteUserCommand {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {}
}

/**
 * Removes a user: their sessions are revoked first (so every service drops
 * their access tokens within seconds), then the row and what hangs on it.
 * The organization's last admin cannot be deleted (409).
 */
@CommandHandler(DeleteUserCommand)
export class DeleteUserHandler implements ICommandHandler<DeleteUserCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ actor, userId }: DeleteUserCommand): Promise<void> {
    const tenantId = actor.organizationId;
    await withTransaction(this.dataSource, async () => {
      await lockAdminDecisions(this.dataSource, tenantId);
      const users = this.scopes.repository(UserSchema, tenantId);
      const user = await users.findOneForUpdate({ id: userId });
      if (!user) throw userNotFound();
      user.assertMayBeDeleted(
        user.role === 'admin' ? await countOtherAdmins(this.scopes, user) : 0,
      );
      await this.sessions.revokeAllOf(user, 'user_deleted');
      await users.remove(user);
      await this.eventBus.publish(
        raise(UserDeleted, {
          tenantId,
          aggregateId: user.id,
          aggregateVersion: user.version + 1,
          payload: { userId: user.id },
          actor: eventActor(actor),
        }),
      );
    });
  }
}
