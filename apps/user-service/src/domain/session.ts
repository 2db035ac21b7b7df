import { randomUUID } from 'node:crypto';
import type { SessionRevokedPayload } from '@helpdesk/contracts';

export type RevokeReason = SessionRevokedPayload['reason'];

/**
 * One signed-in device. Access tokens name it (`sid`), so revoking it ends
 * them all; its refresh tokens rotate on every use.
 */
export class Session {
  id!: string;
  tenantId!: string;
  userId!: string;
  createdAt!: Date;
  lastUsedAt!: Date;
  /** Absolute end: refreshing never extends a session past it. */
  expiresAt!: Date;
  revokedAt!: Date | null;
  revokeReason!: RevokeReason | null;
  userAgent!: string | null;
  ip!: string | null;

  static open(
    input: { tenantId: string; userId: string; userAgent: string | null; ip: string | null },
    lifetimeMs: number,
    now = new Date(),
  ): Session {
    return Object.assign(new Session(), {
      id: randomUUID(),
      tenantId: input.tenantId,
      userId: input.userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + lifetimeMs),
      revokedAt: null,
      revokeReason: null,
      userAgent: input.userAgent,
      ip: input.ip,
    });
  }

  isActive(now = new Date()): boolean {
    return this.revokedAt === null && this.expiresAt.getTime() > now.getTime();
  }

  /** Returns false when it was already revoked (nothing to announce). */
  revoke(reason: RevokeReason, now = new Date()): boolean {
    if (this.revokedAt !== null) return false;
    this.revokedAt = now;
    this.revokeReason = reason;
    return true;
  }

  used(input: { userAgent: string | null; ip: string | null }, now = new Date()): void {
    this.lastUsedAt = now;
    this.userAgent = input.userAgent ?? this.userAgent;
    this.ip = input.ip ?? this.ip;
  }
}

/** A refresh token as stored: only its hash. */
export class RefreshToken {
  tokenHash!: string;
  sessionId!: string;
  issuedAt!: Date;
  rotatedAt!: Date | null;
}

export type OneTimeTokenPurpose = 'password_reset' | 'invitation';

/** A password-reset or invitation token as stored: only its hash, single use. */
export class OneTimeToken {
  id!: string;
  tenantId!: string;
  userId!: string;
  purpose!: OneTimeTokenPurpose;
  tokenHash!: string;
  createdAt!: Date;
  expiresAt!: Date;
  usedAt!: Date | null;

  static issue(
    input: { tenantId: string; userId: string; purpose: OneTimeTokenPurpose; tokenHash: string },
    lifetimeMs: number,
    now = new Date(),
  ): OneTimeToken {
    return Object.assign(new OneTimeToken(), {
      id: randomUUID(),
      ...input,
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeMs),
      usedAt: null,
    });
  }

  isUsable(now = new Date()): boolean {
    return this.usedAt === null && this.expiresAt.getTime() > now.getTime();
  }
}
