import { Inject, Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource, IsNull, MoreThan, Not } from 'typeorm';
import { recordSessionRevocation } from '@helpdesk/auth';
import { SessionRevoked } from '@helpdesk/contracts';
import { currentManager } from '@helpdesk/database';
import { raise } from '@helpdesk/messaging';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../config';
import { RefreshToken, Session, type RevokeReason } from '../domain/session';
import type { User } from '../domain/user';
import { AccessTokens } from '../keys/access-tokens';
import { RefreshTokenSchema, SessionSchema } from '../persistence/schemas';
import type { ClientInfo } from './client-info';
import { hashOpaqueToken, newOpaqueToken } from './secrets';

/** What sign-up, registration, login and refresh answer with. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/**
 * Opening, refreshing and ending sessions. Every method joins the caller's
 * transaction, so a session and the events about it commit together.
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
    private readonly accessTokens: AccessTokens,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  private get sessions() {
    return currentManager(this.dataSource).getRepository(SessionSchema);
  }

  private get refreshTokens() {
    return currentManager(this.dataSource).getRepository(RefreshTokenSchema);
  }

  async open(user: User, client: ClientInfo): Promise<{ session: Session; tokens: TokenPair }> {
    const session = Session.open(
      { tenantId: user.tenantId, userId: user.id, ...client },
      this.settings.sessionLifetimeMs,
    );
    await this.sessions.save(session);
    return { session, tokens: await this.issue(user, session) };
  }

  /** A new refresh token (the previous one was rotated by the caller) and access token. */
  async issue(user: User, session: Session): Promise<TokenPair> {
    const refreshToken = newOpaqueToken();
    await this.refreshTokens.save(
      Object.assign(new RefreshToken(), {
        tokenHash: hashOpaqueToken(refreshToken),
        sessionId: session.id,
        issuedAt: new Date(),
        rotatedAt: null,
      }),
    );
    return { ...this.accessTokens.issue(user, session), refreshToken };
  }

  /**
   * Marks the token used, atomically: of two refreshes racing with one token
   * only one wins; the other sees a rotated token. Returns the token row as it
   * was before (undefined when the hash is unknown).
   */
  async rotate(
    refreshToken: string,
  ): Promise<{ token: RefreshToken; wasRotated: boolean } | undefined> {
    const tokenHash = hashOpaqueToken(refreshToken);
    const token = await this.refreshTokens.findOne({ where: { tokenHash } });
    if (!token) return undefined;
    const result = await this.refreshTokens.update(
      { tokenHash, rotatedAt: IsNull() },
      { rotatedAt: new Date() },
    );
    return { token, wasRotated: token.rotatedAt !== null || result.affected === 0 };
  }

  findSession(sessionId: string): Promise<Session | null> {
    return this.sessions.findOne({ where: { id: sessionId } });
  }

  /**
   * Ends a session now: its refresh tokens stop working at once (they are
   * checked against the session), its access tokens within seconds in every
   * service (session.revoked → their deny-lists; ours is written here).
   */
  async revoke(session: Session, reason: RevokeReason): Promise<boolean> {
    if (!session.revoke(reason)) return false;
    await this.sessions.save(session);
    await recordSessionRevocation(currentManager(this.dataSource), {
      sessionId: session.id,
      tenantId: session.tenantId,
      expiresAt: new Date(Date.now() + this.settings.accessTokenTtlSeconds * 1000 + 60_000),
    });
    await this.eventBus.publish(
      raise(SessionRevoked, {
        tenantId: session.tenantId,
        aggregateId: session.id,
        aggregateVersion: 1,
        payload: { sessionId: session.id, userId: session.userId, reason },
      }),
    );
    return true;
  }

  /** Every live session of the user, but `keepSessionId` (the caller's own, on a password change). */
  async revokeAllOf(user: User, reason: RevokeReason, keepSessionId?: string): Promise<number> {
    const live = await this.sessions.find({
      where: {
        userId: user.id,
        tenantId: user.tenantId,
        revokedAt: IsNull(),
        expiresAt: MoreThan(new Date()),
        ...(keepSessionId ? { id: Not(keepSessionId) } : {}),
      },
    });
    let revoked = 0;
    for (const session of live) if (await this.revoke(session, reason)) revoked += 1;
    return revoked;
  }
}
