import * as amqplib from 'amqplib';

export interface DeliveredEvent {
  eventId: string;
  eventType: string;
  tenantId: string;
  aggregateId: string;
  aggregateVersion: number;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * A plain amqplib consumer bound to `user.events`: what another service
 * would receive, independent of the code under test.
 */
export class EventCollector {
  readonly deliveries: DeliveredEvent[] = [];

  private constructor(private readonly connection: amqplib.ChannelModel) {}

  static async open(url: string): Promise<EventCollector> {
    const connection = await amqplib.connect(url, {
      clientProperties: { connection_name: 'test-collector' },
    });
    const collector = new EventCollector(connection);
    const channel = await connection.createChannel();
    await channel.assertExchange('user.events', 'topic', { durable: true });
    const { queue } = await channel.assertQueue('test.user-events', { durable: true });
    await channel.bindQueue(queue, 'user.events', '#');
    await channel.consume(queue, (message) => {
      if (!message) return;
      collector.deliveries.push(JSON.parse(message.content.toString()) as DeliveredEvent);
      channel.ack(message);
    });
    return collector;
  }

  of(eventType: string, tenantId?: string): DeliveredEvent[] {
    return this.deliveries.filter(
      (event) =>
        event.eventType === eventType && (tenantId === undefined || event.tenantId === tenantId),
    );
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
