import * as amqplib from 'amqplib';
import type { IntegrationEvent } from '@helpdesk/contracts';

/**
 * A plain amqplib consumer, as independent of the library as a test can be:
 * its own queue bound to an exchange, recording every delivery.
 */
export class EventCollector {
  readonly deliveries: Array<{
    envelope: IntegrationEvent;
    properties: amqplib.MessageProperties;
  }> = [];

  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.Channel,
    private readonly queue: string,
  ) {}

  static async open(url: string, queue = 'collector'): Promise<EventCollector> {
    const connection = await amqplib.connect(url, {
      clientProperties: { connection_name: 'test-collector' },
    });
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    const collector = new EventCollector(connection, channel, queue);
    await channel.consume(queue, (message) => {
      if (!message) return;
      collector.deliveries.push({
        envelope: JSON.parse(message.content.toString()) as IntegrationEvent,
        properties: message.properties,
      });
      channel.ack(message);
    });
    return collector;
  }

  /** Binds the queue: until then the exchange has no queue and mandatory publishes are returned. */
  async bind(exchange: string, pattern = '#'): Promise<void> {
    await this.channel.assertExchange(exchange, 'topic', { durable: true });
    await this.channel.bindQueue(this.queue, exchange, pattern);
  }

  distinctEventIds(): Set<string> {
    return new Set(this.deliveries.map((delivery) => delivery.envelope.eventId));
  }

  duplicates(): number {
    return this.deliveries.length - this.distinctEventIds().size;
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
