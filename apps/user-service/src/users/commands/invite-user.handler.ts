import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { UserCreated, UserInvited } from '@helpdesk/contracts';
import { PostgresErrorCode, postgresErrorCode, withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../../config';
import { resolveDepartmentId, unknownDepartment } from '../../departments/department-reference';
import { eventActor } from '../../directory/event-actor';
import { isForeignKeyViolation } from '../../directory/postgres';
import { OneTimeToken } from '../../domain/session';
import { User } from '../../domain/user';
import { hashOpaqueToken, newOpaqueToken } from '../../identity/secrets';
import { userCreatedPayload } from '../../identity/user-events';
import { OneTimeTokenSchema, UserSchema } from '../../persistence/schemas';
import { TenantScopes } from '../../tenancy/tenant-scope';
import { emailTaken } from '../user-problems';
import { toUserView, type UserView } from '../user.view';
import type { InviteUserBody } from '../users.dto';

export class InviteUserCommand {
  constructor(
    readonly actor: Actor,
    readonly body: InviteUserBody,
  ) {}
}

/**
 * An admin adds someone to the organization. The user has no password yet:
 * `user.invited` carries a single-use token (we keep only its hash) that the
 * notification service mails as a set-password link.
 */
@CommandHandler(InviteUserCommand)
export class InviteUserHandler implements ICommandHandler<InviteUserCommand, UserView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly scopes: TenantScopes,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async execute({ actor, body }: InviteUserCommand): Promise<UserView> {
    const tenantId = actor.organizationId;
    try {
      return await withTransaction(this.dataSource, async () => {
        const departmentId = await resolveDepartmentId(this.scopes, tenantId, body.departmentId);
        const user = User.create({
          tenantId,
          email: body.email,
          name: body.name,
          role: body.role,
          departmentId,
          passwordHash: null,
        });
        await this.scopes.repository(UserSchema, tenantId).save(user);
        const token = newOpaqueToken();
        const invitation = OneTimeToken.issue(
          { tenantId, userId: user.id, purpose: 'invitation', tokenHash: hashOpaqueToken(token) },
          this.settings.invitationTtlMs,
        );
        await this.scopes.repository(OneTimeTokenSchema, tenantId).save(invitation);
        const envelope = {
          tenantId,
          aggregateId: user.id,
          aggregateVersion: user.version,
          actor: eventActor(actor),
        };
        await this.eventBus.publishAll([
          raise(UserCreated, { ...envelope, payload: userCreatedPayload(user, 'invitation') }),
          raise(UserInvited, {
            ...envelope,
            payload: {
              userId: user.id,
              email: user.email,
              name: user.name,
              invitationId: invitation.id,
              token,
              expiresAt: invitation.expiresAt.toISOString(),
            },
          }),
        ]);
        return toUserView(user);
      });
    } catch (error) {
      if (postgresErrorCode(error) === PostgresErrorCode.uniqueViolation) throw emailTaken();
      // The department was deleted between our check and the insert.
      if (isForeignKeyViolation(error)) throw unknownDepartment();
      throw error;
    }
  }
}
