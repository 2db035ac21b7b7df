import * as amqplib from 'amqplib';

export interface RawBrokerResult {
  messages: number;
  seconds: number;
  perSecond: number;
}

/**
 * The machine's ceiling for the same path without our code: a bare amqplib
 * loop publishing persistent messages with confirms (a bounded window of
 * unconfirmed messages) to a durable queue while a consumer acks each one.
 * Measured in the same run as our figures, because this host's speed drifts.
 */
export async function measureRawBroker(options: {
  url: string;
  queueType: 'classic' | 'quorum';
  messages: number;
  bodyBytes: number;
  window?: number;
  prefetch?: number;
}): Promise<RawBrokerResult> {
  const window = options.window ?? 500;
  const connection = await amqplib.connect(options.url);
  try {
    const queue = `bench.raw.${options.queueType}.${process.pid}`;
    const setup = await connection.createChannel();
    await setup.assertQueue(queue, {
      durable: true,
      arguments: { 'x-queue-type': options.queueType },
    });
    await setup.purgeQueue(queue);

    const consumer = await connection.createChannel();
    await consumer.prefetch(options.prefetch ?? 100);
    let consumed = 0;
    let allConsumed!: () => void;
    const done = new Promise<void>((resolve) => (allConsumed = resolve));
    await consumer.consume(queue, (message) => {
      if (!message) return;
      consumer.ack(message);
      consumed += 1;
      if (consumed === options.messages) allConsumed();
    });

    const publisher = await connection.createConfirmChannel();
    const body = Buffer.alloc(options.bodyBytes, 'x');
    const started = process.hrtime.bigint();
    let inFlight = 0;
    let waiting: (() => void) | undefined;
    for (let i = 0; i < options.messages; i += 1) {
      if (inFlight >= window) await new Promise<void>((resolve) => (waiting = resolve));
      inFlight += 1;
      publisher.publish('', queue, body, { persistent: true }, (error) => {
        if (error) throw error;
        inFlight -= 1;
        const resume = waiting;
        waiting = undefined;
        resume?.();
      });
    }
    await publisher.waitForConfirms();
    await done;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await setup.deleteQueue(queue);
    return { messages: options.messages, seconds, perSecond: options.messages / seconds };
  } finally {
    await connection.close().catch(() => undefined);
  }
}
