import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { IntegrationEventBase, parseIntegrationEvent, type ParseResult } from '@helpdesk/contracts';
import { BrokerConnection } from '../broker/broker-connection';
import { ConsumerMetrics } from './consumer-metrics';
import type { ConsumerBinding, ResolvedConsumerOptions } from './consumer-options';
import { errorText } from './failure-headers';
import { IntegrationHandlerRegistry } from './handler-registry';
import { purgeInbox } from './inbox';
import { PerKeySerializer } from './per-key-serializer';
import { ConfirmedPublisher } from './publish-confirmed';
import { type DeliveryContext, processEvent, refuseDelivery } from './process-delivery';
import { consumerQueues, type ConsumerQueues, declareConsumerTopology } from './topology';

export const EVENT_CONSUMER_OPTIONS = Symbol('EVENT_CONSUMER_OPTIONS');

export interface EventConsumerStatus {
  connected: boolean;
  /** Shutting down: no new deliveries are taken; running handlers finish. */
  stopping: boolean;
  queue: string;
  deadLetterQueue: string;
  /** Ready messages in the work queue at the last sample; undefined before the first. */
  lag?: number;
  deadLetters?: number;
  sampledAt?: string;
}

/** One connection's channels: they die with it and are rebuilt on reconnect. */
interface Session {
  channel: Channel;
  consumerTag: string;
  monitor: Channel;
  publisher: Channel;
}

/**
 * Takes the service's integration events off its work queue and hands them to
 * the app's handlers (see process-delivery.ts for what happens to each one).
 * Starts when the app has bootstrapped, stops before the database closes.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  readonly queues: ConsumerQueues;
  private readonly logger = new Logger(EventConsumer.name);
  private readonly metrics: ConsumerMetrics;
  private readonly serializer = new PerKeySerializer();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private connection: BrokerConnection | undefined;
  private session: Session | undefined;
  private stopping = false;
  private depth: { lag: number; deadLetters: number; sampledAt: string } | undefined;

  constructor(
    @Inject(EVENT_CONSUMER_OPTIONS) private readonly options: ResolvedConsumerOptions,
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
    @Optional() registry?: Registry,
  ) {
    this.queues = consumerQueues(options.serviceName, options.retryDelaysMs.length);
    // Without MetricsModule the series still exist, just unexported.
    this.metrics = new ConsumerMetrics(registry ?? new Registry(), options.serviceName);
  }

  onApplicationBootstrap(): void {
    // Handlers are found after every module has been built, not at construction.
    this.start(IntegrationHandlerRegistry.discover(this.discovery));
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Resolves once consuming has started (topology declared); for tests and readiness. */
  async waitUntilConnected(timeoutMs?: number): Promise<void> {
    if (!this.connection) throw new Error('EventConsumer has not been started.');
    await this.connection.waitUntilConnected(timeoutMs);
  }

  status(): EventConsumerStatus {
    return {
      connected: (this.connection?.connected ?? false) && !this.stopping,
      stopping: this.stopping,
      queue: this.queues.work,
      deadLetterQueue: this.queues.deadLetter,
      ...this.depth,
    };
  }

  private start(registry: IntegrationHandlerRegistry): void {
    const bindings = [...registry.bindings(), ...this.options.extraBindings];
    if (bindings.length === 0)
      this.logger.warn(
        `${this.options.serviceName} handles no integration events; its queue stays empty.`,
      );
    this.connection = BrokerConnection.open({
      url: this.options.url,
      connectionName: `${this.options.serviceName}:consumer`,
      logger: this.logger,
      onConnect: (model) => this.attach(model, registry, bindings),
    });
    this.connection.onDisconnect(() => (this.session = undefined));
    this.timers.push(
      setInterval(() => void this.sampleDepths(), this.options.monitorIntervalMs),
      setInterval(() => void this.purgeInbox(), this.options.inboxPurgeIntervalMs),
    );
    // Housekeeping must never keep the process alive.
    for (const timer of this.timers) timer.unref();
  }

  private async attach(
    model: ChannelModel,
    registry: IntegrationHandlerRegistry,
    bindings: readonly ConsumerBinding[],
  ): Promise<void> {
    const channel = await model.createChannel();
    const publisher = await ConfirmedPublisher.open(model);
    const monitor = await model.createChannel();
    for (const each of [channel, publisher.channel, monitor])
      // A channel-level error closes the connection's work anyway; an unhandled 'error' event would crash the process.
      each.on('error', (error: Error) => this.logger.warn(`channel error: ${error.message}`));
    await declareConsumerTopology(
      model,
      {
        queues: this.queues,
        retryDelaysMs: this.options.retryDelaysMs,
        deliveryLimit: this.options.deliveryLimit,
        bindings,
      },
      this.logger,
    );
    await channel.prefetch(this.options.prefetch);
    const context: DeliveryContext = {
      consumer: this.options.serviceName,
      queues: this.queues,
      dataSource: this.dataSource,
      registry,
      channel,
      publisher,
      metrics: this.metrics,
      logger: this.logger,
    };
    const { consumerTag } = await channel.consume(
      this.queues.work,
      (message) => {
        if (message) this.onDelivery(context, message);
        else void this.resubscribe(model, registry, bindings);
      },
      { noAck: false },
    );
    this.session = { channel, consumerTag, monitor, publisher: publisher.channel };
    void this.sampleDepths();
  }

  /**
   * The broker cancelled the subscription (someone deleted the queue): the
   * connection is fine, so no reconnect would come to the rescue. Redeclare
   * and subscribe again on fresh channels.
   */
  private async resubscribe(
    model: ChannelModel,
    registry: IntegrationHandlerRegistry,
    bindings: readonly ConsumerBinding[],
  ): Promise<void> {
    if (this.stopping) return;
    this.logger.warn(`the broker cancelled the subscription to ${this.queues.work}; resubscribing`);
    const old = this.session;
    this.session = undefined;
    for (const channel of [old?.channel, old?.monitor, old?.publisher])
      await channel?.close().catch(() => undefined);
    await this.attach(model, registry, bindings).catch((error: unknown) =>
      this.logger.error(`could not resubscribe to ${this.queues.work}: ${errorText(error)}`),
    );
  }

  private onDelivery(context: DeliveryContext, message: ConsumeMessage): void {
    const parsed = parseSafely(message.content);
    const work = parsed.ok
      ? this.serializer.run(aggregateKey(parsed.event), async () => {
          // Stopping: leave it unacked; closing the channel hands it back to the broker.
          if (!this.stopping) await processEvent(context, message, parsed.event);
        })
      : refuseDelivery(context, message, parsed.reason);
    this.track(work);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      this.logger.error(`delivery handling failed unexpectedly: ${errorText(error)}`),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async sampleDepths(): Promise<void> {
    const monitor = this.session?.monitor;
    if (!monitor) return;
    try {
      const work = await monitor.checkQueue(this.queues.work);
      const parked = await monitor.checkQueue(this.queues.deadLetter);
      this.depth = {
        lag: work.messageCount,
        deadLetters: parked.messageCount,
        sampledAt: new Date().toISOString(),
      };
      this.metrics.depths(
        this.queues.work,
        this.queues.deadLetter,
        work.messageCount,
        parked.messageCount,
      );
    } catch (error) {
      this.logger.warn(`could not sample queue depths: ${errorText(error)}`);
    }
  }

  private async purgeInbox(): Promise<void> {
    try {
      const purged = await purgeInbox(
        this.dataSource,
        this.options.serviceName,
        this.options.inboxRetentionDays,
      );
      if (purged > 0) this.logger.log(`purged ${purged} inbox rows`);
    } catch (error) {
      this.logger.warn(`inbox purge failed: ${errorText(error)}`);
    }
  }

  /** Stops taking messages, lets the ones being handled finish, then closes the connection. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    const session = this.session;
    if (session) await session.channel.cancel(session.consumerTag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    // Closing the channel first is a round trip after the last ack; dropping the connection right away can race it.
    if (session) await session.channel.close().catch(() => undefined);
    await this.connection?.close();
  }
}

/** A throwing parser is a bug, but it must cost one message (parked with the reason), not the consumer. */
function parseSafely(content: Buffer): ParseResult<IntegrationEventBase> {
  try {
    return parseIntegrationEvent(content);
  } catch (error) {
    return { ok: false, reason: `the parser failed: ${errorText(error)}` };
  }
}

function aggregateKey(event: IntegrationEventBase): string {
  return `${event.aggregateType}:${event.aggregateId}`;
}
