import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { withTransaction } from '@helpdesk/database';
import { SessionTokens } from '../session-tokens';

export class RevokeSessionCommand {
  constructor(
    readonly actor: Actor,
    readonly sessionId: string,
  ) {}
}

/** Signs one of the caller's own devices out. Anyone else's session is 404, for admins too. */
@CommandHandler(RevokeSessionCommand)
export class RevokeSessionHandler implements ICommandHandler<RevokeSessionCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ actor, sessionId }: RevokeSessionCommand): Promise<void> {
    await withTransaction(this.dataSource, async () => {
      const session = await this.sessions.findSession(sessionId);
      if (
        !session ||
        session.userId !== actor.userId ||
        session.tenantId !== actor.organizationId ||
        !session.isActive()
      )
        throw new NotFoundException('Session not found.');
      await this.sessions.revoke(session, 'revoked');
    });
  }
}
