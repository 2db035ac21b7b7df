import type { EntityManager } from 'typeorm';

export interface SessionRevocation {
  sessionId: string;
  tenantId: string;
  /** Until when a token of the session could still be presented: the row is kept that long. */
  expiresAt: Date;
}

/**
 * Adds `sessionId` to the deny-list, in the caller's transaction (`manager`):
 * user-service in the transaction that revokes the session, other services in
 * the inbox transaction of the `session.revoked` event. Recording it twice is
 * harmless (the first row stays).
 */
export async function recordSessionRevocation(
  manager: EntityManager,
  revocation: SessionRevocation,
): Promise<void> {
  // clock_timestamp(), not now(): revoked_at is what pollers page by, and the
  // statement's time is closer to the commit than the transaction's start.
  await manager.query(
    `INSERT INTO revoked_session (session_id, tenant_id, revoked_at, expires_at)
     VALUES ($1, $2, clock_timestamp(), $3)
     ON CONFLICT (session_id) DO NOTHING`,
    [revocation.sessionId, revocation.tenantId, revocation.expiresAt],
  );
}
