/** The outcome of one dependency check, as shown under `checks.<name>` on /health. */
export interface HealthCheckResult {
  status: 'up' | 'down';
  details?: Record<string, unknown>;
  /** Why the check is down. */
  error?: string;
}

/** One dependency /health reports on; `name` is its key under `checks`. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}
