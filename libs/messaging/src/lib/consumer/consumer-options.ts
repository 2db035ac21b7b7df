import { brokerUrl } from '../broker/broker-connection';

/** An extra subscription: `routingKey` is a topic pattern (`ticket.*`, `organization.#`, `#`). */
export interface ConsumerBinding {
  exchange: string;
  routingKey: string;
}

export interface EventConsumerOptions {
  /** The consuming service, e.g. `audit-service`: names its queues and its inbox rows. */
  serviceName: string;
  /** Unacknowledged deliveries the broker may push at once (per consumer). Default 50. */
  prefetch?: number;
  /**
   * Delay before each retry of a failed message; its length is the number of
   * retries, so a message is tried `retryDelaysMs.length + 1` times before it is
   * parked. Default 1 s, 10 s, 60 s.
   */
  retryDelaysMs?: readonly number[];
  /**
   * Redeliveries of one message without an ack or a retry decision (a consumer
   * that keeps crashing on it) before the broker parks it. Default 20.
   */
  deliveryLimit?: number;
  /** Subscriptions beyond those derived from the app's handlers. */
  extraBindings?: readonly ConsumerBinding[];
  /** Inbox rows older than this are deleted; must outlive any redelivery. Default 30 days. */
  inboxRetentionDays?: number;
  /** How often the inbox is trimmed. Default hourly. */
  inboxPurgeIntervalMs?: number;
  /** How often queue and dead-letter depths are sampled for metrics and health. Default 5 s. */
  monitorIntervalMs?: number;
  /** Defaults to RABBITMQ_URL, else the local broker. */
  url?: string;
}

export interface ResolvedConsumerOptions {
  serviceName: string;
  prefetch: number;
  retryDelaysMs: readonly number[];
  deliveryLimit: number;
  extraBindings: readonly ConsumerBinding[];
  inboxRetentionDays: number;
  inboxPurgeIntervalMs: number;
  monitorIntervalMs: number;
  url: string;
}

const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`EventConsumer: ${name} must be a positive integer, got ${value}.`);
  return value;
}

/** Fails at boot on a configuration that would misbehave later. */
export function resolveConsumerOptions(options: EventConsumerOptions): ResolvedConsumerOptions {
  if (!SERVICE_NAME_PATTERN.test(options.serviceName))
    throw new Error(
      `EventConsumer: serviceName must be kebab-case, e.g. "audit-service", got "${options.serviceName}".`,
    );
  const retryDelaysMs = options.retryDelaysMs ?? [1_000, 10_000, 60_000];
  retryDelaysMs.forEach((delay, index) => positiveInteger(`retryDelaysMs[${index}]`, delay));
  return {
    serviceName: options.serviceName,
    prefetch: positiveInteger('prefetch', options.prefetch ?? 50),
    retryDelaysMs,
    deliveryLimit: positiveInteger('deliveryLimit', options.deliveryLimit ?? 20),
    extraBindings: options.extraBindings ?? [],
    inboxRetentionDays: positiveInteger('inboxRetentionDays', options.inboxRetentionDays ?? 30),
    inboxPurgeIntervalMs: positiveInteger(
      'inboxPurgeIntervalMs',
      options.inboxPurgeIntervalMs ?? 3_600_000,
    ),
    monitorIntervalMs: positiveInteger('monitorIntervalMs', options.monitorIntervalMs ?? 5_000),
    url: options.url ?? brokerUrl(),
  };
}
