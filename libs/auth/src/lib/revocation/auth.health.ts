import { Injectable } from '@nestjs/common';
import type { HealthCheckResult, HealthIndicator } from '@helpdesk/observability';
import { RevokedSessions } from './revoked-sessions';

/** Missing this many polls in a row means revocations may no longer be seen in time. */
const MISSED_POLLS_BEFORE_DOWN = 5;
const MIN_STALENESS_MS = 10_000;

/**
 * `auth` on /health: down when the revoked-session list has not been read
 * for several poll intervals, because a revoked session's tokens would then
 * still be accepted. Opt in with `HealthModule.forRoot({ indicators: [AuthHealthIndicator] })`.
 */
@Injectable()
export class AuthHealthIndicator implements HealthIndicator {
  readonly name = 'auth';

  constructor(private readonly revokedSessions: RevokedSessions) {}

  async check(): Promise<HealthCheckResult> {
    const refreshedAt = this.revokedSessions.refreshedAt;
    const ageMs = refreshedAt === undefined ? undefined : Date.now() - refreshedAt;
    const limitMs = Math.max(
      MIN_STALENESS_MS,
      this.revokedSessions.intervalMs * MISSED_POLLS_BEFORE_DOWN,
    );
    const details = { revokedSessions: this.revokedSessions.size, revocationsAgeMs: ageMs ?? null };
    if (ageMs === undefined || ageMs > limitMs) {
      return { status: 'down', details, error: 'the revoked-session list is not being refreshed' };
    }
    return { status: 'up', details };
  }
}
