import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { withTransaction } from '@helpdesk/database';
import { ProblemException } from '@helpdesk/http';
import { passwordProblem } from '../../domain/password-policy';
import { UserSchema } from '../../persistence/schemas';
import { weakPassword } from '../identity-problems';
import { PasswordHasher } from '../secrets';
import { SessionTokens } from '../session-tokens';

export class ChangePasswordCommand {
  constructor(
    readonly actor: Actor,
    readonly currentPassword: string,
    readonly newPassword: string,
  ) {}
}

/** The signed-in user changes their password; their other sessions end, this one stays. */
@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ actor, currentPassword, newPassword }: ChangePasswordCommand): Promise<void> {
    const users = this.dataSource.getRepository(UserSchema);
    const user = await users.findOne({
      where: { id: actor.userId, tenantId: actor.organizationId },
    });
    if (!user) throw new NotFoundException('User not found.');
    if (!(await this.hasher.verify(user.passwordHash, currentPassword)))
      throw ProblemException.invalidField('currentPassword', 'is not your current password');
    const problem =
      newPassword === currentPassword
        ? 'must differ from the current password'
        : passwordProblem(newPassword, user.email);
    if (problem) throw weakPassword('newPassword', problem);
    const passwordHash = await this.hasher.hash(newPassword);
    await withTransaction(this.dataSource, async (manager) => {
      user.setPasswordHash(passwordHash);
      await manager.getRepository(UserSchema).save(user);
      await this.sessions.revokeAllOf(user, 'password_changed', actor.sessionId);
    });
  }
}
