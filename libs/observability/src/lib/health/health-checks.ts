import { HealthCheckResult, HealthIndicator } from './health-indicator';

export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<string, HealthCheckResult>;
}

/** Runs every indicator at once; one that does not answer within `timeoutMs` counts as down. */
export class HealthChecks {
  constructor(
    private readonly indicators: readonly HealthIndicator[],
    private readonly timeoutMs: number,
  ) {
    const names = indicators.map((indicator) => indicator.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw new Error(`two health indicators are named "${duplicate}"`);
  }

  async run(): Promise<HealthReport> {
    const results = await Promise.all(
      this.indicators.map((indicator) => this.checkWithin(indicator)),
    );
    const checks: Record<string, HealthCheckResult> = {};
    this.indicators.forEach((indicator, index) => (checks[indicator.name] = results[index]));
    const allUp = results.every((result) => result.status === 'up');
    return { status: allUp ? 'ok' : 'error', checks };
  }

  private async checkWithin(indicator: HealthIndicator): Promise<HealthCheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<HealthCheckResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ status: 'down', error: `no answer within ${this.timeoutMs} ms` }),
        this.timeoutMs,
      );
    });
    const checked = Promise.resolve()
      .then(() => indicator.check())
      .catch((error: unknown): HealthCheckResult => ({ status: 'down', error: messageOf(error) }));
    try {
      return await Promise.race([checked, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
