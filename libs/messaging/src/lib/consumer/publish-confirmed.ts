import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, Message, Options } from 'amqplib';

/** Marks each publish, so a message the broker returns can be matched to its publish. */
const PUBLISH_ID_HEADER = 'x-publish-id';

/**
 * Publishes on a confirm channel and resolves only once the broker has taken
 * responsibility for the message: the confirm arrived, and the message reached
 * a queue. Callers ack the source copy only after that, so a message is never
 * in neither place. Publishes are `mandatory`: without it, a message for a
 * queue that does not exist (deleted meanwhile) would be confirmed and dropped.
 */
export class ConfirmedPublisher {
  private readonly returned = new Set<string>();

  private constructor(readonly channel: ConfirmChannel) {
    // The broker sends basic.return before the confirm of the same message.
    channel.on('return', (message: Message) => {
      const id = message.properties.headers?.[PUBLISH_ID_HEADER] as unknown;
      if (typeof id === 'string') this.returned.add(id);
    });
  }

  static async open(model: ChannelModel): Promise<ConfirmedPublisher> {
    return new ConfirmedPublisher(await model.createConfirmChannel());
  }

  async publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    const id = randomUUID();
    const headers = { ...options.headers, [PUBLISH_ID_HEADER]: id };
    await new Promise<void>((resolve, reject) => {
      try {
        this.channel.publish(
          exchange,
          routingKey,
          content,
          { ...options, headers, mandatory: true },
          (error: unknown) => {
            if (error)
              reject(
                error instanceof Error ? error : new Error(`publish nacked: ${String(error)}`),
              );
            else resolve();
          },
        );
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    if (this.returned.delete(id))
      throw new Error(
        `unroutable: no queue for ${exchange || '(default exchange)'} / ${routingKey}`,
      );
  }
}

/** Publishing bookkeeping that must not travel on with a message. */
export const PUBLISH_BOOKKEEPING_HEADERS = [PUBLISH_ID_HEADER];
