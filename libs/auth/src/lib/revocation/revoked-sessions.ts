import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Clock, systemClock } from '../access-token/clock';
import type { RevocationList } from '../access-token/revocation-list';

export const DEFAULT_REVOCATION_POLL_MS = 2_000;

export interface RevokedSessionsOptions {
  /** How often the table is read for new revocations; `AUTH_REVOCATION_POLL_MS`, default 2 s. */
  pollIntervalMs?: number;
  clock?: Clock;
}

/**
 * A revocation committed up to this long after another one that a poll has
 * already seen is still picked up (a transaction's `revoked_at` is taken
 * before it commits). The periodic full reload catches anything slower.
 */
const POLL_OVERLAP_SECONDS = 60;
/** Every so often: reload everything (belt and braces) and delete expired rows. */
const FULL_RELOAD_INTERVAL_MS = 5 * 60_000;

interface RevokedSessionRow {
  session_id: string;
  revoked_at: Date;
  expires_at: Date;
}

export function revocationPollIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env['AUTH_REVOCATION_POLL_MS'];
  if (!configured) return DEFAULT_REVOCATION_POLL_MS;
  const value = Number(configured);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`AUTH_REVOCATION_POLL_MS must be a positive integer, got "${configured}".`);
  }
  return value;
}

/**
 * The revoked sessions of the last few minutes, held in memory so that
 * checking a token costs no query; each replica polls its service's
 * `revoked_session` table, so a revocation recorded anywhere reaches every
 * replica within one poll interval. A failed poll keeps the last set.
 */
@Injectable()
export class RevokedSessions implements RevocationList, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RevokedSessions.name);
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  /** session id → when its entry may be forgotten (ms). */
  private readonly expiries = new Map<string, number>();
  /** The newest revoked_at seen. */
  private watermark: Date | undefined;
  private lastFullReloadAt: number | undefined;
  private lastRefreshedAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    options: RevokedSessionsOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? revocationPollIntervalMs();
    this.clock = options.clock ?? systemClock;
  }

  async onModuleInit(): Promise<void> {
    await this.refreshNow();
    this.timer = setInterval(() => void this.refreshNow(), this.pollIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing; // never leave a query running on a DataSource about to close
  }

  isRevoked(sessionId: string): boolean {
    const expiresAt = this.expiries.get(sessionId);
    if (expiresAt === undefined) return false;
    if (expiresAt > this.clock()) return true;
    this.expiries.delete(sessionId);
    return false;
  }

  /** How many sessions are held (for health details). */
  get size(): number {
    return this.expiries.size;
  }

  /** When the list was last read successfully (ms), undefined before the first read. */
  get refreshedAt(): number | undefined {
    return this.lastRefreshedAt;
  }

  get intervalMs(): number {
    return this.pollIntervalMs;
  }

  /** Reads new revocations now (the poll does this every interval); never throws. */
  refreshNow(): Promise<void> {
    // A poll already running is joined, not doubled: polls never pile up on a slow database.
    this.refreshing ??= this.poll().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async poll(): Promise<void> {
    try {
      const fullReload =
        this.lastFullReloadAt === undefined ||
        this.clock() - this.lastFullReloadAt >= FULL_RELOAD_INTERVAL_MS;
      if (fullReload) await this.reloadAll();
      else await this.readSince(this.watermark);
      this.lastRefreshedAt = this.clock();
    } catch (error) {
      this.logger.error(
        `Could not read revoked sessions, keeping the ${this.expiries.size} known: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async reloadAll(): Promise<void> {
    // Several replicas sweeping at once is harmless: the DELETE is idempotent.
    await this.dataSource.query(`DELETE FROM revoked_session WHERE expires_at < now()`);
    const startedAt = this.clock();
    const rows = await this.rows(undefined);
    this.expiries.clear();
    this.remember(rows);
    this.lastFullReloadAt = startedAt;
    this.forgetExpired();
  }

  private async readSince(watermark: Date | undefined): Promise<void> {
    this.remember(await this.rows(watermark));
    this.forgetExpired();
  }

  private async rows(since: Date | undefined): Promise<RevokedSessionRow[]> {
    const select = `SELECT session_id, revoked_at, expires_at FROM revoked_session WHERE expires_at > now()`;
    const rows: RevokedSessionRow[] =
      since === undefined
        ? await this.dataSource.query(select)
        : await this.dataSource.query(
            `${select} AND revoked_at > $1::timestamptz - make_interval(secs => $2)`,
            [since, POLL_OVERLAP_SECONDS],
          );
    // Milliseconds are enough for the watermark: the overlap dwarfs what a Date drops.
    for (const row of rows) {
      const revokedAt = new Date(row.revoked_at);
      if (this.watermark === undefined || revokedAt > this.watermark) this.watermark = revokedAt;
    }
    return rows;
  }

  private remember(rows: ReadonlyArray<RevokedSessionRow>): void {
    for (const row of rows) this.expiries.set(row.session_id, new Date(row.expires_at).getTime());
  }

  private forgetExpired(): void {
    const now = this.clock();
    for (const [sessionId, expiresAt] of this.expiries) {
      if (expiresAt <= now) this.expiries.delete(sessionId);
    }
  }
}
