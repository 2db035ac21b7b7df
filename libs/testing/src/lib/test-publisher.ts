import { randomUUID } from 'node:crypto';
import * as amqplib from 'amqplib';
import { exchangeForEventType, type IntegrationEventBase } from '@helpdesk/contracts';

/** An event as it travels: what `toEnvelope()` gives, or the same fields in a plain object (e.g. with a changed timestamp). */
export interface TravellingEnvelope {
  eventId: string;
  eventType: string;
  tenantId: string;
  metadata?: { correlationId?: string };
}

/** Marks each publish, so a message the broker returns can be matched to its publish. */
const PUBLISH_ID_HEADER = 'x-test-publish-id';

/**
 * Publishes straight to the broker the way the outbox relay does (its domain's
 * exchange, the event type as routing key, the same properties), or any bytes
 * at all: tests need both well-formed events and garbage, independently of the
 * producer side. Each publish resolves once confirmed and fails when no queue
 * took it (mandatory), so a test that publishes before its consumer's queue is
 * bound fails there, not by timing out.
 */
export class TestPublisher {
  private readonly returned = new Set<string>();

  private constructor(
    private readonly connection: amqplib.ChannelModel,
    private readonly channel: amqplib.ConfirmChannel,
  ) {
    // The broker sends basic.return before the confirm of the same message.
    channel.on('return', (message: amqplib.Message) => {
      const id = message.properties.headers?.[PUBLISH_ID_HEADER] as unknown;
      if (typeof id === 'string') this.returned.add(id);
    });
  }

  static async open(url: string): Promise<TestPublisher> {
    const connection = await amqplib.connect(url, {
      clientProperties: { connection_name: 'test-publisher' },
    });
    return new TestPublisher(connection, await connection.createConfirmChannel());
  }

  async event(event: IntegrationEventBase | TravellingEnvelope): Promise<void> {
    const envelope: TravellingEnvelope =
      'toEnvelope' in event ? (event.toEnvelope() as TravellingEnvelope) : event;
    await this.raw(
      exchangeForEventType(envelope.eventType),
      envelope.eventType,
      JSON.stringify(envelope),
      {
        messageId: envelope.eventId,
        type: envelope.eventType,
        headers: {
          'x-tenant-id': envelope.tenantId,
          'x-correlation-id': envelope.metadata?.correlationId,
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
    const id = randomUUID();
    await new Promise<void>((resolve, reject) => {
      this.channel.publish(
        exchange,
        routingKey,
        Buffer.from(content),
        {
          persistent: true,
          contentType: 'application/json',
          timestamp: Math.floor(Date.now() / 1000),
          ...options,
          headers: { ...options.headers, [PUBLISH_ID_HEADER]: id },
          mandatory: true,
        },
        (error: unknown) =>
          error ? reject(new Error(`publish nacked: ${String(error)}`)) : resolve(),
      );
    });
    if (this.returned.delete(id))
      throw new Error(
        `unroutable: no queue for ${exchange || '(default exchange)'} / ${routingKey}`,
      );
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
