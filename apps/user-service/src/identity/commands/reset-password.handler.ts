import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource, IsNull } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { passwordProblem } from '../../domain/password-policy';
import { OneTimeTokenSchema, UserSchema } from '../../persistence/schemas';
import { weakPassword } from '../identity-problems';
import { hashOpaqueToken, PasswordHasher } from '../secrets';
import { SessionTokens } from '../session-tokens';

export class ResetPasswordCommand {
  constructor(
    readonly token: string,
    readonly newPassword: string,
  ) {}
}

const unusableToken = () =>
  new ProblemException(400, 'This link is invalid or has expired; ask for a new one.', {
    errors: [{ field: 'token', message: 'is invalid or expired' }],
  });

/**
 * Sets a password with a one-time token: a reset link, or an invitation's
 * set-password link. The token works once; every session is ended, since
 * whoever knew the old password may be signed in.
 */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ token, newPassword }: ResetPasswordCommand): Promise<void> {
    const tokenHash = hashOpaqueToken(token);
    const tokens = this.dataSource.getRepository(OneTimeTokenSchema);
    const found = await tokens.findOne({ where: { tokenHash } });
    if (!found || !found.isUsable()) throw unusableToken();
    const user = await this.dataSource
      .getRepository(UserSchema)
      .findOne({ where: { id: found.userId, tenantId: found.tenantId } });
    if (!user || !user.active) throw unusableToken();
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw weakPassword('newPassword', problem);
    const passwordHash = await this.hasher.hash(newPassword);

    await withTransaction(this.dataSource, async (manager) => {
      // Claimed atomically: of two requests with one token, one wins.
      const claimed = await manager
        .getRepository(OneTimeTokenSchema)
        .update({ id: found.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (claimed.affected !== 1) throw unusableToken();
      user.setPasswordHash(passwordHash);
      await manager.getRepository(UserSchema).save(user);
      await this.sessions.revokeAllOf(user, 'password_changed');
    });
  }
}
