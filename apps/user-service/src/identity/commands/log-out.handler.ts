import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '@helpdesk/auth';
import { withTransaction } from '@helpdesk/database';
import { SessionTokens } from '../session-tokens';

export class LogOutCommand {
  constructor(readonly actor: Actor) {}
}

/** Ends the session the request's token belongs to. */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ actor }: LogOutCommand): Promise<void> {
    await withTransaction(this.dataSource, async () => {
      const session = await this.sessions.findSession(actor.sessionId);
      if (session && session.tenantId === actor.organizationId)
        await this.sessions.revoke(session, 'logout');
    });
  }
}
