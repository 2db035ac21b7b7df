import { withTransaction } from '@helpdesk/database';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { DataSource, type EntityManager } from 'typeorm';
import { BrokerConnection } from '../broker/broker-connection';
import { OutboxMetrics } from './outbox-metrics';
import { backoffMs, type ResolvedRelayOptions } from './outbox-options';
import {
  claimPending,
  deletePublishedBefore,
  markFailed,
  markPublished,
  type PendingRow,
} from './outbox-store';
import { publishBatch, type PublishOutcome } from './publish-batch';

export const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

/** Rows deleted per statement, so retention never holds long locks or bloats one transaction. */
const SWEEP_SLICE = 10_000;

interface BatchResult {
  claimed: number;
  published: number;
  unconfirmed: number;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Publishes the outbox to RabbitMQ, one batch per transaction: claim pending
 * rows (FOR UPDATE SKIP LOCKED, per-aggregate order, see outbox-store), publish
 * them on a confirm channel, and mark published, in one UPDATE, exactly the
 * rows the broker confirmed. The row locks are held while waiting for the
 * confirms, so no other relay can publish the same rows meanwhile; a crash
 * before the UPDATE republishes them (at-least-once: consumers de-duplicate).
 *
 * Woken by the outbox writer after each commit that wrote rows, polls as a fallback, backs off
 * on database or broker failure, and survives broker restarts through
 * BrokerConnection.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private broker: BrokerConnection | undefined;
  private channel: ConfirmChannel | undefined;
  private declaredExchanges = new Set<string>();
  private readonly returned = new Set<string>();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(OUTBOX_RELAY_OPTIONS) private readonly options: ResolvedRelayOptions,
    private readonly metrics: OutboxMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.enabled) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.broker = BrokerConnection.open({
      url: this.options.url,
      connectionName: this.options.connectionName,
      logger: this.logger,
      onConnect: (model) => this.openChannel(model),
    });
    this.retentionTimer = setInterval(
      () => void this.sweepPublished(),
      this.options.retentionSweepIntervalMs,
    );
    this.retentionTimer.unref();
    this.loop = this.run();
  }

  /** Finishes the batch in flight, then closes the broker connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.retentionTimer);
    this.wake();
    await this.loop;
    this.loop = undefined;
    await this.broker?.close();
    this.channel = undefined;
  }

  /** Publish now rather than at the next poll (the outbox writer does this after every commit that wrote rows). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Deletes published rows older than the retention; returns how many. */
  async sweepPublished(): Promise<number> {
    let deleted = 0;
    try {
      let slice: number;
      do {
        slice = await deletePublishedBefore(this.dataSource, this.options.retentionMs, SWEEP_SLICE);
        deleted += slice;
      } while (slice === SWEEP_SLICE && !this.stopping);
    } catch (error) {
      this.logger.warn(`outbox retention sweep failed: ${errorText(error)}`);
    }
    return deleted;
  }

  private async openChannel(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on('return', (message: { properties: { messageId?: string } }) => {
      if (message.properties.messageId) this.returned.add(message.properties.messageId);
    });
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    // A channel error is followed by 'close'; without a listener it would crash the process.
    channel.on('error', (error: Error) =>
      this.logger.warn(`relay channel error: ${error.message}`),
    );
    this.declaredExchanges = new Set();
    this.channel = channel;
    this.wake(); // rows may have piled up while the broker was away
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.wakeRequested = false;
      try {
        const batch = await this.relayBatch();
        if (batch.unconfirmed > 0)
          throw new Error(`the broker did not confirm ${batch.unconfirmed} event(s); retrying`);
        failures = 0;
        // A batch holds one row per aggregate (the order rule), so a partial batch does not mean
        // the outbox is drained: only an empty claim does.
        if (batch.claimed === 0) await this.sleep(this.options.pollIntervalMs);
      } catch (error) {
        const delay = backoffMs(
          failures++,
          this.options.retryInitialDelayMs,
          this.options.retryMaxDelayMs,
        );
        this.logger.warn(`outbox relay: ${errorText(error)}; next try in ${delay} ms`);
        await this.sleep(delay, false);
      }
    }
  }

  private sleep(ms: number, wakeable = true): Promise<void> {
    if (this.stopping || (wakeable && this.wakeRequested)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      // After a failure, commits must not cut the backoff short; only stop() may.
      this.wakeSleeper = wakeable ? done : () => this.stopping && done();
    });
  }

  private async relayBatch(): Promise<BatchResult> {
    const channel = this.channel;
    if (!channel) return { claimed: 0, published: 0, unconfirmed: 0 }; // onConnect wakes us
    const result = await withTransaction(
      this.dataSource,
      async (manager) => {
        const rows = await claimPending(manager, this.options.batchSize);
        if (rows.length === 0) return { claimed: 0, published: 0, unconfirmed: 0 };
        await this.declareExchanges(channel, rows);
        const outcomes = await publishBatch(
          channel,
          this.returned,
          rows,
          this.options.confirmTimeoutMs,
        );
        for (const row of rows) this.returned.delete(row.id);
        return this.record(manager, rows, outcomes);
      },
      { retries: 0 },
    );
    this.metrics.countPublished(result.published);
    this.metrics.countFailures('unconfirmed', result.unconfirmed);
    return result;
  }

  private async declareExchanges(
    channel: ConfirmChannel,
    rows: readonly PendingRow[],
  ): Promise<void> {
    for (const exchange of new Set(rows.map((row) => row.exchange))) {
      if (this.declaredExchanges.has(exchange)) continue;
      await channel.assertExchange(exchange, 'topic', { durable: true });
      this.declaredExchanges.add(exchange);
    }
  }

  /** Stores the broker's verdicts: one UPDATE for the published, one per failed row. */
  private async record(
    manager: EntityManager,
    rows: readonly PendingRow[],
    outcomes: ReadonlyMap<string, PublishOutcome>,
  ): Promise<BatchResult> {
    const publishedIds: string[] = [];
    let unconfirmed = 0;
    for (const row of rows) {
      const outcome = outcomes.get(row.id) ?? 'unconfirmed';
      if (outcome === 'confirmed') publishedIds.push(row.id);
      else if (outcome === 'unconfirmed') unconfirmed += 1;
      else if (outcome === 'returned' && this.options.unroutable === 'published') {
        this.logger.warn(`${row.eventType} ${row.id}: no queue is bound to ${row.exchange} for it`);
        publishedIds.push(row.id);
      } else await this.recordFailure(manager, row, outcome);
    }
    await markPublished(manager, publishedIds);
    return { claimed: rows.length, published: publishedIds.length, unconfirmed };
  }

  private async recordFailure(
    manager: EntityManager,
    row: PendingRow,
    outcome: 'returned' | 'nacked',
  ): Promise<void> {
    const retryInMs = backoffMs(
      row.attempts,
      this.options.rowRetryInitialDelayMs,
      this.options.rowRetryMaxDelayMs,
    );
    const error =
      outcome === 'returned'
        ? `unroutable: no queue bound to exchange ${row.exchange} for routing key ${row.routingKey}`
        : 'the broker refused the message (basic.nack)';
    // Loud on purpose: a return means a missing exchange binding, and events wait until it exists.
    this.logger.error(
      `${row.eventType} ${row.id} not published (attempt ${row.attempts + 1}): ${error}; retry in ${retryInMs} ms`,
    );
    await markFailed(manager, row.id, error, retryInMs);
    this.metrics.countFailures(outcome);
  }
}
