import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HealthCheckResult, HealthIndicator } from '@helpdesk/observability';

/** Below the health endpoint's ~2 s budget, so a hung database reports itself instead of timing the probe out. */
const CHECK_TIMEOUT_MS = 1_500;

/** `database`: up when the service's PostgreSQL answers `SELECT 1` promptly. */
@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'database';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<HealthCheckResult> {
    if (!this.dataSource.isInitialized)
      return { status: 'down', error: 'database connection is not initialised' };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer to SELECT 1 within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    });
    const query = this.dataSource.query('SELECT 1');
    query.catch(() => undefined); // may settle after the timeout won; nobody else is listening then
    try {
      await Promise.race([query, timedOut]);
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}
