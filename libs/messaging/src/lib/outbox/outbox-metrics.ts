import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutboxStats } from './outbox-store';

export type PublishFailureReason = 'returned' | 'nacked' | 'unconfirmed';

/**
 * The outbox's series in the app's registry. Backlog and age are read from the
 * table when Prometheus scrapes (one indexed query), so they are true for every
 * replica and cost nothing between scrapes.
 */
export class OutboxMetrics {
  private readonly published: Counter;
  private readonly failures: Counter<'reason'>;

  constructor(registry: Registry, stats: () => Promise<OutboxStats>) {
    const registers = [registry];
    // Both gauges share one query per scrape.
    let sample: Promise<OutboxStats> | undefined;
    const sampled = (): Promise<OutboxStats> => {
      sample ??= stats().finally(() => setImmediate(() => (sample = undefined)));
      return sample;
    };
    // A database hiccup must not fail the whole scrape: the gauges keep their last value.
    const sampleOrNothing = (): Promise<OutboxStats | undefined> =>
      sampled().catch(() => undefined);
    const tableGauge = (name: string, help: string, read: (stats: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const stats = await sampleOrNothing();
          if (stats) this.set(read(stats));
        },
      });
    tableGauge('outbox_backlog', 'Outbox rows not yet published.', (stats) => stats.pending);
    tableGauge(
      'outbox_oldest_pending_age_seconds',
      'Age of the oldest unpublished outbox row (0 when none).',
      (stats) => stats.oldestPendingAgeSeconds,
    );
    this.published = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published and confirmed by the broker.',
      registers,
    });
    this.failures = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Outbox rows whose publish failed (returned unroutable, nacked, or not confirmed).',
      labelNames: ['reason'],
      registers,
    });
  }

  countPublished(count: number): void {
    if (count > 0) this.published.inc(count);
  }

  countFailures(reason: PublishFailureReason, count = 1): void {
    if (count > 0) this.failures.inc({ reason }, count);
  }
}
