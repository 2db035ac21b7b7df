import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { setTimeout as delay } from 'node:timers/promises';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { UserPasswordResetRequested } from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../../config';
import { OneTimeToken } from '../../domain/session';
import { normalizeEmail } from '../../domain/user';
import { OneTimeTokenSchema, OrganizationSchema, UserSchema } from '../../persistence/schemas';
import { hashOpaqueToken, newOpaqueToken } from '../secrets';

export class RequestPasswordResetCommand {
  constructor(
    readonly organizationSlug: string,
    readonly email: string,
  ) {}
}

/**
 * "Forgot password": mails a single-use link when the account exists, and
 * answers the same, in the same time, when it does not (OWASP Forgot Password
 * Cheat Sheet). The time is evened out by a floor every answer waits for,
 * longer than the real work takes.
 */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<
  RequestPasswordResetCommand,
  void
> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  async execute({ organizationSlug, email }: RequestPasswordResetCommand): Promise<void> {
    const answerNotBefore = Date.now() + this.settings.forgotPasswordMinResponseMs;
    try {
      await this.requestReset(organizationSlug.trim().toLowerCase(), normalizeEmail(email));
    } finally {
      const wait = answerNotBefore - Date.now();
      if (wait > 0) await delay(wait);
    }
  }

  private async requestReset(slug: string, email: string): Promise<void> {
    const token = newOpaqueToken();
    const tokenHash = hashOpaqueToken(token);
    await withTransaction(this.dataSource, async (manager) => {
      const organization = await manager
        .getRepository(OrganizationSchema)
        .findOne({ where: { slug } });
      const user = organization
        ? await manager
            .getRepository(UserSchema)
            .findOne({ where: { tenantId: organization.id, email } })
        : null;
      if (!user || !user.active) return;
      const tokens = manager.getRepository(OneTimeTokenSchema);
      // Per-account throttle: nobody can flood an inbox with reset mails.
      const recent = await tokens.count({
        where: {
          userId: user.id,
          purpose: 'password_reset',
          createdAt: MoreThan(new Date(Date.now() - this.settings.loginFailureWindowMs)),
        },
      });
      if (recent >= this.settings.maxResetRequestsPerAccount) return;
      // Only the newest link works.
      await tokens.update(
        { userId: user.id, purpose: 'password_reset', usedAt: IsNull() },
        { usedAt: new Date() },
      );
      const reset = OneTimeToken.issue(
        { tenantId: user.tenantId, userId: user.id, purpose: 'password_reset', tokenHash },
        this.settings.passwordResetTtlMs,
      );
      await tokens.insert(reset);
      await this.eventBus.publish(
        raise(UserPasswordResetRequested, {
          tenantId: user.tenantId,
          aggregateId: user.id,
          aggregateVersion: user.version,
          payload: {
            userId: user.id,
            email: user.email,
            name: user.name,
            resetRequestId: reset.id,
            token,
            expiresAt: reset.expiresAt.toISOString(),
          },
          actor: { actorId: null, actorType: 'system' },
        }),
      );
    });
  }
}
