import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  UserLoginFailed,
  UserLoginSucceeded,
  type UserLoginFailedPayload,
} from '@helpdesk/contracts';
import { withTransaction } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import type { Organization } from '../../domain/organization';
import { normalizeEmail, type User } from '../../domain/user';
import { OrganizationSchema, UserSchema } from '../../persistence/schemas';
import { toUserView } from '../../users/user.view';
import type { LoginBody, LoginView } from '../auth.dto';
import type { ClientInfo } from '../client-info';
import { invalidCredentials, tooManyAttempts } from '../identity-problems';
import { LoginThrottle } from '../login-throttle';
import { PasswordHasher } from '../secrets';
import { SessionTokens } from '../session-tokens';

export class LogInCommand {
  constructor(
    readonly body: LoginBody,
    readonly client: ClientInfo,
  ) {}
}

type FailureReason = UserLoginFailedPayload['reason'];

/**
 * Password sign-in. Every refusal looks the same from outside (401, same
 * body) and costs the same (a password hash is verified even when there is
 * no account); failures are counted for throttling and audited.
 */
@CommandHandler(LogInCommand)
export class LogInHandler implements ICommandHandler<LogInCommand, LoginView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ body, client }: LogInCommand): Promise<LoginView> {
    const email = normalizeEmail(body.email);
    const accountKey = LoginThrottle.accountKey(body.organizationSlug, email);
    const organization = await this.dataSource
      .getRepository(OrganizationSchema)
      .findOne({ where: { slug: body.organizationSlug.trim().toLowerCase() } });

    const retryAfter = await this.throttle.retryAfter(accountKey, client.ip);
    if (retryAfter !== undefined) {
      if (organization) await this.audit(organization, null, email, 'rate_limited', client);
      throw tooManyAttempts(retryAfter);
    }

    const user = organization
      ? await this.dataSource
          .getRepository(UserSchema)
          .findOne({ where: { tenantId: organization.id, email } })
      : null;
    const passwordMatches = await this.hasher.verify(user?.passwordHash ?? null, body.password);

    const refusal = this.refusalReason(user, passwordMatches);
    if (refusal !== undefined || !organization || !user) {
      await withTransaction(this.dataSource, async () => {
        await this.throttle.recordFailure(accountKey, client.ip);
        if (organization)
          await this.audit(organization, user, email, refusal ?? 'unknown_user', client);
      });
      throw invalidCredentials();
    }

    if (this.hasher.needsRehash(user.passwordHash as string))
      user.passwordHash = await this.hasher.hash(body.password);
    return withTransaction(this.dataSource, async (manager) => {
      await manager
        .getRepository(UserSchema)
        .update({ id: user.id }, { passwordHash: user.passwordHash });
      await this.throttle.clearAccount(accountKey);
      const { session, tokens } = await this.sessions.open(user, client);
      await this.eventBus.publish(
        raise(UserLoginSucceeded, {
          tenantId: user.tenantId,
          aggregateId: user.id,
          aggregateVersion: user.version,
          payload: {
            userId: user.id,
            sessionId: session.id,
            ip: client.ip,
            userAgent: client.userAgent,
          },
          actor: { actorId: user.id, actorType: 'user' },
        }),
      );
      return { user: toUserView(user), ...tokens };
    });
  }

  private refusalReason(user: User | null, passwordMatches: boolean): FailureReason | undefined {
    if (!user) return 'unknown_user';
    if (!passwordMatches) return 'wrong_password';
    if (!user.active) return 'inactive';
    return undefined;
  }

  private async audit(
    organization: Organization,
    user: User | null,
    email: string,
    reason: FailureReason,
    client: ClientInfo,
  ): Promise<void> {
    const event = raise(UserLoginFailed, {
      tenantId: organization.id,
      aggregateId: user?.id ?? (email.slice(0, 200) || '-'),
      aggregateVersion: user?.version ?? 1,
      payload: {
        userId: user?.id ?? null,
        email: email.slice(0, 254) || '-',
        reason,
        ip: client.ip,
        userAgent: client.userAgent,
      },
      actor: { actorId: user?.id ?? null, actorType: user ? 'user' : 'system' },
    });
    await withTransaction(this.dataSource, () => this.eventBus.publish(event));
  }
}
