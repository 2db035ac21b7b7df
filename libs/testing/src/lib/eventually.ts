import { setTimeout as delay } from 'node:timers/promises';

export interface EventuallyOptions {
  /** Give up after this long; defaults to 10 s. */
  timeoutMs?: number;
  /** Pause between attempts; defaults to 50 ms. */
  intervalMs?: number;
}

/**
 * Retries `assertion` until it stops throwing and returns its result — for
 * outcomes that become true asynchronously (a consumed event, a projection).
 * After the deadline it rethrows the last failure, so the test reports what was
 * still wrong rather than a bare timeout.
 */
export async function eventually<T>(
  assertion: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) throw error;
      await delay(Math.min(intervalMs, remainingMs));
    }
  }
}
