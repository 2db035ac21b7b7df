import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { currentManager } from '@helpdesk/database';
import { IDENTITY_SETTINGS, type IdentitySettings } from '../config';

/**
 * Counts failed sign-ins per account and per client address in a sliding
 * window, in the database so that every replica sees the same count. The
 * account key exists for unknown accounts too: guessing at a non-existent
 * address is throttled exactly like guessing at a real one.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IDENTITY_SETTINGS) private readonly settings: IdentitySettings,
  ) {}

  static accountKey(organizationSlug: string, email: string): string {
    return `${organizationSlug.trim().toLowerCase()}:${email.trim().toLowerCase()}`;
  }

  /** Seconds to wait when either limit is reached; undefined when a try is allowed. */
  async retryAfter(
    accountKey: string,
    ip: string | null,
    now = new Date(),
  ): Promise<number | undefined> {
    const since = new Date(now.getTime() - this.settings.loginFailureWindowMs);
    const [row] = (await currentManager(this.dataSource).query(
      `SELECT
         (SELECT count(*)::int FROM login_failure WHERE account_key = $1 AND occurred_at > $2) AS account_failures,
         (SELECT min(occurred_at) FROM (SELECT occurred_at FROM login_failure
             WHERE account_key = $1 AND occurred_at > $2 ORDER BY occurred_at DESC LIMIT $4) AS recent) AS account_oldest,
         (SELECT count(*)::int FROM login_failure WHERE ip = $3 AND occurred_at > $2) AS ip_failures,
         (SELECT min(occurred_at) FROM (SELECT occurred_at FROM login_failure
             WHERE ip = $3 AND occurred_at > $2 ORDER BY occurred_at DESC LIMIT $5) AS recent) AS ip_oldest`,
      [
        accountKey,
        since,
        ip,
        this.settings.maxLoginFailuresPerAccount,
        this.settings.maxLoginFailuresPerIp,
      ],
    )) as {
      account_failures: number;
      account_oldest: Date | null;
      ip_failures: number;
      ip_oldest: Date | null;
    }[];
    if (!row) return undefined;
    // The window slides: a try is allowed again once the oldest of the last N failures leaves it.
    const waits: number[] = [];
    if (row.account_failures >= this.settings.maxLoginFailuresPerAccount && row.account_oldest)
      waits.push(this.secondsUntilOutOfWindow(row.account_oldest, now));
    if (ip !== null && row.ip_failures >= this.settings.maxLoginFailuresPerIp && row.ip_oldest)
      waits.push(this.secondsUntilOutOfWindow(row.ip_oldest, now));
    return waits.length > 0 ? Math.max(...waits) : undefined;
  }

  async recordFailure(accountKey: string, ip: string | null, now = new Date()): Promise<void> {
    await currentManager(this.dataSource).query(
      'INSERT INTO login_failure (account_key, ip, occurred_at) VALUES ($1, $2, $3)',
      [accountKey, ip, now],
    );
  }

  /** A successful sign-in forgives the account's failures (not the address's). */
  async clearAccount(accountKey: string): Promise<void> {
    await currentManager(this.dataSource).query(
      'DELETE FROM login_failure WHERE account_key = $1',
      [accountKey],
    );
  }

  /** Rows older than the window count for nothing. */
  async sweep(now = new Date()): Promise<void> {
    await this.dataSource.query('DELETE FROM login_failure WHERE occurred_at < $1', [
      new Date(now.getTime() - this.settings.loginFailureWindowMs),
    ]);
  }

  private secondsUntilOutOfWindow(oldest: Date, now: Date): number {
    return Math.max(
      1,
      (new Date(oldest).getTime() + this.settings.loginFailureWindowMs - now.getTime()) / 1000,
    );
  }
}
