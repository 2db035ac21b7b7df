import * as amqplib from 'amqplib';
import type { IntegrationEventBase } from '@helpdesk/contracts';
import { exchangeForEventType } from '@helpdesk/contracts';
import { ConfirmedPublisher } from '../publish-confirmed';

/**
 * Publishes straight to the broker the way the outbox relay does (same
 * properties), or any bytes at all: tests need both well-formed events and
 * garbage, independently of the producer side.
 */
export class RawPublisher {
  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly publisher: ConfirmedPublisher,
  ) {}

  static async open(url: string): Promise<RawPublisher> {
    const connection = await amqplib.connect(url, {
      clientProperties: { connection_name: 'test-publisher' },
    });
    return new RawPublisher(connection, await ConfirmedPublisher.open(connection));
  }

  async event(event: IntegrationEventBase): Promise<void> {
    const envelope = event.toEnvelope();
    await this.raw(
      exchangeForEventType(event.eventType),
      event.eventType,
      JSON.stringify(envelope),
      {
        messageId: event.eventId,
        type: event.eventType,
        headers: {
          'x-tenant-id': event.tenantId,
          'x-correlation-id': event.metadata.correlationId,
        },
      },
    );
  }

  async raw(
    exchange: string,
    routingKey: string,
    content: string | Buffer,
    options: amqplib.Options.Publish = {},
  ): Promise<void> {
    // Mandatory: a test that publishes before the consumer's queue is bound fails here, not by timing out.
    await this.publisher.publish(exchange, routingKey, Buffer.from(content), {
      persistent: true,
      contentType: 'application/json',
      timestamp: Math.floor(Date.now() / 1000),
      ...options,
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
