import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@helpdesk/database';
import { UserSchema } from '../../persistence/schemas';
import type { TokensView } from '../auth.dto';
import type { ClientInfo } from '../client-info';
import { invalidRefreshToken } from '../identity-problems';
import { SessionTokens } from '../session-tokens';

export class RefreshSessionCommand {
  constructor(
    readonly refreshToken: string,
    readonly client: ClientInfo,
  ) {}
}

type Outcome = { tokens: TokensView } | { refused: true };

/**
 * Rotation with reuse detection (OAuth 2.0 Security BCP): each refresh token
 * works once. A rotated token presented again means two parties hold it — the
 * legitimate client and a thief — so the whole session is revoked.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand, TokensView> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionTokens,
  ) {}

  async execute({ refreshToken, client }: RefreshSessionCommand): Promise<TokensView> {
    // Decided inside, refused outside: a revocation for reuse must commit although the answer is 401.
    const outcome = await withTransaction(this.dataSource, async (manager): Promise<Outcome> => {
      const rotation = await this.sessions.rotate(refreshToken);
      if (!rotation) return { refused: true };
      const session = await this.sessions.findSession(rotation.token.sessionId);
      if (!session || !session.isActive()) return { refused: true };
      if (rotation.wasRotated) {
        await this.sessions.revoke(session, 'refresh_token_reuse');
        return { refused: true };
      }
      const user = await manager
        .getRepository(UserSchema)
        .findOne({ where: { id: session.userId, tenantId: session.tenantId } });
      if (!user || !user.active) return { refused: true };
      session.used(client);
      await manager.save(session);
      // The new access token carries the user's role as it is now.
      return { tokens: await this.sessions.issue(user, session) };
    });
    if ('refused' in outcome) throw invalidRefreshToken();
    return outcome.tokens;
  }
}
