import type { Channel, ChannelModel, Options } from 'amqplib';
import type { ConsumerBinding } from './consumer-options';

/** The queues of one consuming service; every name derives from the work queue's. */
export interface ConsumerQueues {
  /** `<service>.events`: where subscribed events arrive. */
  work: string;
  /** `<service>.events.retry.<n>`: holds a message for the n-th retry's delay. */
  retry: readonly string[];
  /** `<service>.events.dlq`: parked messages, for an operator to inspect and replay. */
  deadLetter: string;
}

export function consumerQueues(serviceName: string, retryCount: number): ConsumerQueues {
  const work = `${serviceName}.events`;
  return {
    work,
    retry: Array.from({ length: retryCount }, (_, index) => `${work}.retry.${index + 1}`),
    deadLetter: deadLetterQueueOf(work),
  };
}

export function deadLetterQueueOf(workQueue: string): string {
  return `${workQueue}.dlq`;
}

export interface ConsumerTopology {
  queues: ConsumerQueues;
  retryDelaysMs: readonly number[];
  deliveryLimit: number;
  bindings: readonly ConsumerBinding[];
}

/** Where declaration warnings go (Nest's Logger fits). */
export interface TopologyLogger {
  warn(message: string): void;
}

const PRECONDITION_FAILED = 406;

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === PRECONDITION_FAILED;
}

/**
 * Declares everything the consumer relies on; run on every (re)connect, and
 * idempotent. Source exchanges are asserted too, so a consumer may start
 * before the services it listens to.
 *
 * Dead-lettering goes through the default exchange (routing key = queue name),
 * so no extra exchange is needed and nothing else can publish into a retry path.
 *
 * A queue that already exists with other arguments (the retry delays or the
 * delivery limit were changed) is kept as it is, with a warning: refusing to
 * start would stop consumption, and deleting a queue to redeclare it could
 * lose messages. The operator migrates it (see docs/consumer.md).
 */
export async function declareConsumerTopology(
  model: ChannelModel,
  topology: ConsumerTopology,
  logger: TopologyLogger,
): Promise<void> {
  const { queues } = topology;
  // A failed declaration closes its channel, so each attempt may need a fresh one.
  let channel = await openChannel(model);
  const declareQueue = async (name: string, argumentsOf: Options.AssertQueue['arguments']) => {
    try {
      await channel.assertQueue(name, { durable: true, arguments: argumentsOf });
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      channel = await openChannel(model);
      await channel.checkQueue(name);
      logger.warn(
        `queue ${name} exists with other arguments than ${JSON.stringify(argumentsOf)}; ` +
          'keeping the existing ones until it is migrated.',
      );
    }
  };
  try {
    await declareQueue(queues.deadLetter, {
      'x-queue-type': 'quorum',
      // No delivery limit: browsing the parked messages must never push them anywhere.
    });
    await declareQueue(queues.work, {
      'x-queue-type': 'quorum',
      // A message that keeps killing its consumer before any decision is parked, not looped.
      'x-delivery-limit': topology.deliveryLimit,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': queues.deadLetter,
      // At-least-once dead-lettering (3.10+) needs reject-publish; without a length limit it never rejects.
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    });
    for (const [index, name] of queues.retry.entries()) {
      await declareQueue(name, {
        // Classic: TTL expiry dead-letters from the head, the long-proven path; one queue per delay means every message in it expires in order.
        'x-queue-type': 'classic',
        'x-message-ttl': topology.retryDelaysMs[index],
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queues.work,
      });
    }
    for (const exchange of new Set(topology.bindings.map((binding) => binding.exchange))) {
      await channel.assertExchange(exchange, 'topic', { durable: true });
    }
    for (const binding of topology.bindings) {
      await channel.bindQueue(queues.work, binding.exchange, binding.routingKey);
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
}

async function openChannel(model: ChannelModel): Promise<Channel> {
  const channel = await model.createChannel();
  // The 406 is reported through the failed call; the 'error' event must not crash the process.
  channel.on('error', () => undefined);
  return channel;
}
