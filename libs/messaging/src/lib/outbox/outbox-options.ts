export interface OutboxRelayOptions {
  /** Broker URL; defaults to brokerUrl() (RABBITMQ_URL). */
  url?: string;
  /** Rows claimed and published per round trip. */
  batchSize?: number;
  /** Fallback wake-up for rows this process's commits did not announce (another process's writes, rows due for retry). */
  pollIntervalMs?: number;
  /** How long the broker may take to confirm a batch before the batch is retried. */
  confirmTimeoutMs?: number;
  /** Backoff after a broker or database failure, doubling up to the max. */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Backoff of a single row the broker refused or returned, doubling per attempt up to the max. */
  rowRetryInitialDelayMs?: number;
  rowRetryMaxDelayMs?: number;
  /**
   * What a mandatory message the broker returned (no queue bound) means.
   * 'failure' (default): keep the row pending and retry with backoff, logged as
   * an error — in production the audit service binds every event, so a return
   * means a missing binding. 'published': accept it as delivered to nobody,
   * for systems where unconsumed events are normal.
   */
  unroutable?: 'failure' | 'published';
  /** Published rows are kept this long (for inspection and replays), then deleted. */
  retentionMs?: number;
  retentionSweepIntervalMs?: number;
  /** The health indicator is down once the oldest pending row is older than this. */
  maxPendingAgeMs?: number;
  /** Off: the module provides the publisher but no relay (e.g. a relay run in another process). */
  enabled?: boolean;
}

export interface OutboxModuleOptions {
  /** Names the relay's broker connection (`<serviceName>.outbox-relay`). */
  serviceName: string;
  /**
   * Whether integration events also reach this app's own @EventsHandlers
   * in process, after commit. Default: yes, unless the app also uses
   * EventConsumerModule — then its handlers get them through RabbitMQ (the
   * consumer binds the types they handle), once, with retries and the inbox.
   */
  dispatchLocally?: boolean;
  relay?: OutboxRelayOptions;
}

export type ResolvedRelayOptions = Required<Omit<OutboxRelayOptions, 'url'>> & {
  url?: string;
  connectionName: string;
};

const DEFAULTS = {
  batchSize: 200,
  pollIntervalMs: 1_000,
  confirmTimeoutMs: 10_000,
  retryInitialDelayMs: 100,
  retryMaxDelayMs: 5_000,
  rowRetryInitialDelayMs: 1_000,
  rowRetryMaxDelayMs: 60_000,
  unroutable: 'failure',
  retentionMs: 7 * 24 * 3_600_000,
  retentionSweepIntervalMs: 60_000,
  maxPendingAgeMs: 5 * 60_000,
  enabled: true,
} as const;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`outbox relay option ${name} must be a positive number, got ${value}.`);
  return value;
}

/** Defaults filled and every number checked, so a bad setting fails the boot, not the first publish. */
export function resolveRelayOptions(options: OutboxModuleOptions): ResolvedRelayOptions {
  if (!options.serviceName) throw new Error('OutboxModule needs a serviceName.');
  const merged = { ...DEFAULTS, ...options.relay };
  if (merged.unroutable !== 'failure' && merged.unroutable !== 'published')
    throw new Error(`outbox relay option unroutable must be 'failure' or 'published'.`);
  if (!Number.isInteger(merged.batchSize) || merged.batchSize > 5_000)
    throw new Error(`outbox relay option batchSize must be an integer up to 5000.`);
  for (const key of [
    'batchSize',
    'pollIntervalMs',
    'confirmTimeoutMs',
    'retryInitialDelayMs',
    'retryMaxDelayMs',
    'rowRetryInitialDelayMs',
    'rowRetryMaxDelayMs',
    'retentionMs',
    'retentionSweepIntervalMs',
    'maxPendingAgeMs',
  ] as const)
    positive(key, merged[key]);
  return { ...merged, connectionName: `${options.serviceName}.outbox-relay` };
}

/** Exponential: initial × 2^attempt, capped. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}
