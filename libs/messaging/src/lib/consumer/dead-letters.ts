import * as amqplib from 'amqplib';
import type { GetMessage, MessageProperties } from 'amqplib';
import { brokerUrl } from '../broker/broker-connection';
import {
  applicationHeaders,
  attemptsOf,
  FailureHeader,
  republishOptions,
  stringHeader,
} from './failure-headers';
import { ConfirmedPublisher } from './publish-confirmed';

export interface DeadLetterQueueOptions {
  /** e.g. `audit-service.events.dlq`. */
  queue: string;
  /** Defaults to RABBITMQ_URL, else the local broker. */
  url?: string;
  /** Most messages looked at in one run (they are all held unacked meanwhile). Default 10 000. */
  limit?: number;
}

export interface ReplayOptions extends DeadLetterQueueOptions {
  /** The events to move back; or `all`. */
  eventIds?: readonly string[];
  all?: boolean;
  /** Where to; defaults to the work queue the DLQ belongs to (the name without `.dlq`). */
  to?: string;
}

/** One parked message, as an operator needs to judge it. */
export interface DeadLetter {
  eventId?: string;
  eventType?: string;
  /** Failed attempts the consumer recorded (0 for a message parked by the broker's delivery limit). */
  attempts: number;
  /** `refused`, `failed`, or the broker's reason (`delivery_limit`, ...). */
  reason: string;
  error?: string;
  firstFailureAt?: string;
  lastFailureAt?: string;
  originalExchange?: string;
  originalRoutingKey?: string;
}

const DEFAULT_LIMIT = 10_000;

/** Reads a field from the body when the properties lack it (raw publishes); never throws. */
function bodyField(content: Buffer, field: 'eventId' | 'eventType'): string | undefined {
  try {
    const value: unknown = (JSON.parse(content.toString('utf8')) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function describe(message: GetMessage): DeadLetter {
  const { properties, content } = message;
  const header = (name: string): string | undefined => stringHeader(properties, name);
  const parkedByBroker = header('x-first-death-reason');
  return {
    eventId: properties.messageId ?? bodyField(content, 'eventId'),
    eventType: properties.type ?? bodyField(content, 'eventType'),
    // The DLQ's own x-delivery-count only counts how often the DLQ was browsed, so it is not used.
    attempts: attemptsOf(properties),
    reason: header(FailureHeader.deadLetterReason) ?? parkedByBroker ?? 'unknown',
    error: header(FailureHeader.lastError),
    firstFailureAt: header(FailureHeader.firstFailureAt),
    lastFailureAt: header(FailureHeader.lastFailureAt),
    originalExchange: header(FailureHeader.originalExchange),
    originalRoutingKey: header(FailureHeader.originalRoutingKey),
  };
}

/**
 * Takes up to `limit` messages off the queue without acking them, lets `work`
 * ack the ones it has dealt with, and hands every other one back to the queue.
 */
async function browse<T>(
  options: DeadLetterQueueOptions,
  work: (
    messages: GetMessage[],
    publisher: ConfirmedPublisher,
    ack: (message: GetMessage) => void,
  ) => Promise<T>,
): Promise<T> {
  const connection = await amqplib.connect(options.url ?? brokerUrl(), {
    clientProperties: { connection_name: `dead-letters:${options.queue}` },
  });
  // Failures (a missing queue: 404) reach the caller through the rejected call; an unhandled 'error' event would crash it instead.
  connection.on('error', () => undefined);
  try {
    const publisher = await ConfirmedPublisher.open(connection);
    const { channel } = publisher;
    channel.on('error', () => undefined);
    // Fails (404) on a queue that does not exist rather than creating one.
    await channel.checkQueue(options.queue);
    const messages: GetMessage[] = [];
    const limit = options.limit ?? DEFAULT_LIMIT;
    while (messages.length < limit) {
      const message = await channel.get(options.queue, { noAck: false });
      if (!message) break;
      messages.push(message);
    }
    const settled = new Set<GetMessage>();
    try {
      return await work(messages, publisher, (message) => {
        channel.ack(message);
        settled.add(message);
      });
    } finally {
      for (const message of messages) if (!settled.has(message)) channel.nack(message, false, true);
      await channel.close();
    }
  } finally {
    await connection.close();
  }
}

/** What is parked in the DLQ, oldest first; the queue is left as it was. */
export async function listDeadLetters(options: DeadLetterQueueOptions): Promise<DeadLetter[]> {
  return browse(options, async (messages) => messages.map(describe));
}

function replayHeaders(properties: MessageProperties): Record<string, unknown> {
  const headers = applicationHeaders(properties);
  // A replay is a fresh start: the attempt counter and the failure story are reset.
  for (const name of [
    FailureHeader.attempts,
    FailureHeader.firstFailureAt,
    FailureHeader.lastFailureAt,
    FailureHeader.lastError,
    FailureHeader.deadLetterReason,
  ])
    delete headers[name];
  headers['x-replayed-at'] = new Date().toISOString();
  return headers;
}

/**
 * Moves the chosen dead letters back to the work queue, each published with a
 * confirm before its DLQ copy is acked, so none is ever lost (a crash in
 * between leaves a copy in both, which the consumer's inbox absorbs). Returns
 * what was moved.
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<DeadLetter[]> {
  if (!options.all && !options.eventIds?.length)
    throw new Error('replayDeadLetters: name the events to replay (eventIds) or pass all.');
  const target = options.to ?? options.queue.replace(/\.dlq$/, '');
  if (target === options.queue)
    throw new Error(
      `replayDeadLetters: cannot tell the work queue of ${options.queue}; pass "to".`,
    );
  const wanted = new Set(options.eventIds ?? []);
  return browse(options, async (messages, publisher, ack) => {
    await publisher.channel.checkQueue(target);
    const moved: DeadLetter[] = [];
    for (const message of messages) {
      const letter = describe(message);
      if (!options.all && !(letter.eventId && wanted.has(letter.eventId))) continue;
      await publisher.publish(
        '',
        target,
        message.content,
        republishOptions(message.properties, replayHeaders(message.properties)),
      );
      ack(message);
      moved.push(letter);
    }
    return moved;
  });
}
