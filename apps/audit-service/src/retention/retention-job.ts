import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One job at a time across replicas: whoever holds this lock deletes, the others skip the round. */
const RETENTION_LOCK = 0x61756431; // "aud1"
/** Rows per DELETE: short transactions, bounded WAL bursts, no long lock on the table. */
export const RETENTION_SLICE = 10_000;

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
  return value;
}

export const retentionIntervalMs = (env: NodeJS.ProcessEnv = process.env) =>
  milliseconds(env, 'AUDIT_RETENTION_INTERVAL_MS', 24 * 3_600_000);
export const retentionStartDelayMs = (env: NodeJS.ProcessEnv = process.env) =>
  milliseconds(env, 'AUDIT_RETENTION_START_DELAY_MS', 60_000);

/**
 * Deletes entries older than each organization's `keepDays`, daily (and once
 * shortly after start), in slices of RETENTION_SLICE rows, each in its own
 * transaction that says `SET LOCAL audit.retention = 'on'` — the only deletes
 * the append-only trigger lets through. A session advisory lock on one
 * dedicated connection makes one replica run it at a time.
 */
@Injectable()
export class RetentionJob implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RetentionJob.name);
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    const run = () => void this.runNow().catch((error: unknown) => this.logger.error(error));
    const first = setTimeout(run, retentionStartDelayMs());
    const daily = setInterval(run, Math.max(retentionIntervalMs(), 1_000));
    first.unref();
    daily.unref();
    this.timers = [first, daily];
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.running?.catch(() => undefined);
  }

  /** One round (also for tests): returns how many entries it deleted (0 when another replica runs it). */
  runNow(now = new Date()): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: Date): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        RETENTION_LOCK,
      ]);
      if (!locked) return 0;
      try {
        let deleted = 0;
        const policies: { tenant_id: string; keep_days: number }[] = await runner.query(
          'SELECT tenant_id, keep_days FROM audit_retention WHERE keep_days IS NOT NULL',
        );
        for (const policy of policies) {
          const before = new Date(now.getTime() - policy.keep_days * 86_400_000);
          for (;;) {
            if (this.stopped) return deleted;
            const slice = await this.deleteSlice(runner, policy.tenant_id, before);
            deleted += slice;
            if (slice < RETENTION_SLICE) break;
          }
        }
        if (deleted > 0) this.logger.log(`retention: ${deleted} audit entries deleted`);
        return deleted;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteSlice(
    runner: ReturnType<DataSource['createQueryRunner']>,
    tenantId: string,
    before: Date,
  ): Promise<number> {
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL audit.retention = 'on'`);
      const [, count] = (await runner.query(
        `DELETE FROM audit_entry WHERE id IN (
           SELECT id FROM audit_entry WHERE tenant_id = $1 AND occurred_at < $2 LIMIT $3)`,
        [tenantId, before, RETENTION_SLICE],
      )) as [unknown, number];
      await runner.commitTransaction();
      return count;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }
}
